#!/usr/bin/env bash
# Make sure Redis answers on 127.0.0.1:6379 (for the RQ worker tests), installing Debian's
# redis-server and starting it if needed.
set -euo pipefail

answers() { command -v redis-cli >/dev/null 2>&1 && [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = "PONG" ]; }

if answers; then exit 0; fi
if ! command -v redis-server >/dev/null 2>&1; then
  echo "Redis is not installed: installing Debian's redis-server" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >&2
fi
if ! answers; then
  echo "Starting Redis on 127.0.0.1:6379" >&2
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >&2
fi
for _ in $(seq 1 30); do answers && exit 0; sleep 1; done
echo "Redis does not answer on 127.0.0.1:6379" >&2
exit 1
