#!/usr/bin/env bash
# `make serve`: the app under production settings, as a municipality runs it on one machine
# (docs/deployment.md): gunicorn on HOST:PORT (127.0.0.1:8000) with ELEVSTOD_WEB_WORKERS worker
# processes, the task worker(s) and the periodic jobs; Ctrl-C stops all of them.
# Before starting: refuses without ELEVSTOD_SECRET_KEY and ELEVSTOD_AUDIT_KEY, then runs
# migrate and collectstatic (the static files are served by WhiteNoise from staticfiles/).
# - ELEVSTOD_TASKS_BACKEND=database (default): `manage.py db_worker`; =rq: `manage.py rqworker`
# - ELEVSTOD_TASK_WORKERS (1): how many task workers
# - ELEVSTOD_SERVE_PERIODIC (1): run the periodic jobs here (0 on all but one server)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
BIN=$(dirname "$PY")
export HOST=${HOST:-127.0.0.1}
export PORT=${PORT:-8000}
export DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-elevstod.config.settings.production}
export ELEVSTOD_BASE_URL=${ELEVSTOD_BASE_URL:-http://$HOST:$PORT}

refuse() { echo "make serve: $*" >&2; exit 2; }
new_key='generate one with: python3 -c "import secrets; print(secrets.token_urlsafe(48))"'
[ -n "${ELEVSTOD_SECRET_KEY:-}" ] || refuse "ELEVSTOD_SECRET_KEY is not set ($new_key)"
[ -n "${ELEVSTOD_AUDIT_KEY:-}" ] || refuse "ELEVSTOD_AUDIT_KEY is not set ($new_key)"
((${#ELEVSTOD_SECRET_KEY} >= 40)) || refuse "ELEVSTOD_SECRET_KEY must be 40 characters or more"
((${#ELEVSTOD_AUDIT_KEY} >= 32)) || refuse "ELEVSTOD_AUDIT_KEY must be 32 characters or more"
if [ -z "${DATABASE_URL:-}" ]; then
  echo "make serve: no DATABASE_URL, using the SQLite file in var/ (use PostgreSQL in production)" >&2
fi

"$PY" manage.py migrate --noinput -v0
"$PY" manage.py collectstatic --noinput -v0

# Each server process counts its requests in a file here; /metrics adds them up.
export PROMETHEUS_MULTIPROC_DIR=${PROMETHEUS_MULTIPROC_DIR:-${ELEVSTOD_VAR_DIR:-var}/metrics-$PORT}
rm -rf "$PROMETHEUS_MULTIPROC_DIR" && mkdir -p "$PROMETHEUS_MULTIPROC_DIR"

groups=()
start() { setsid "$@" & groups+=("$!"); }
stop() {
  trap - INT TERM EXIT
  for g in "${groups[@]}"; do kill -TERM -- "-$g" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

for _ in $(seq "${ELEVSTOD_TASK_WORKERS:-1}"); do
  if [ "${ELEVSTOD_TASKS_BACKEND:-database}" = rq ]; then
    start "$PY" manage.py rqworker --job-class django_tasks_rq.Job default
  else
    start "$PY" manage.py db_worker --no-reload
  fi
done
if [ "${ELEVSTOD_SERVE_PERIODIC:-1}" = 1 ]; then
  start "$PY" manage.py notifications_worker --interval 60
fi
start "$BIN/gunicorn" -c python:elevstod.config.gunicorn_conf elevstod.config.wsgi:application
echo "Elevstöd (production settings) on http://$HOST:$PORT with the workers; Ctrl-C stops all." >&2
wait -n || true
