#!/usr/bin/env bash
# `make demo`: the web server and the background workers together; Ctrl-C stops all of them.
# - manage.py runserver            the app
# - manage.py db_worker            runs queued tasks (notification delivery right after commit)
# - manage.py notifications_worker the periodic jobs (reminders, digests, retries) every 30 s
# E-mail and SMS are printed on this console (dev settings), not sent.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
# Links in e-mail and SMS point at the address this demo answers on, unless one is given.
export ELEVSTOD_BASE_URL=${ELEVSTOD_BASE_URL:-http://$HOST:$PORT}
groups=()

start() { setsid "$@" & groups+=("$!"); }
stop() {
  trap - INT TERM EXIT
  for g in "${groups[@]}"; do kill -TERM -- "-$g" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

# A sample SS 12000 export of a fictitious school, with a file source of the demo's organiser:
# the command it prints imports it (the school data page then shows the run).
"$PY" manage.py ss12000_sample var/ss12000-exempel.zip --demo \
  || echo "The sample SS 12000 export could not be written; the demo runs without it."

start "$PY" manage.py db_worker --no-startup-delay --no-reload
start "$PY" manage.py notifications_worker --interval 30
start "$PY" manage.py runserver "$HOST:$PORT"
echo "Web server on $ELEVSTOD_BASE_URL with the background workers; Ctrl-C stops all."
wait -n || true
