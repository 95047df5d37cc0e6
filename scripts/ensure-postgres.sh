#!/usr/bin/env bash
# Make sure a PostgreSQL server answers on loopback, installing and starting it if needed, and
# print a DATABASE_URL for a role that may create databases (the test run creates its own).
set -euo pipefail

trust_url="postgres://postgres@127.0.0.1:5432"
role_url="postgres://elevstod:elevstod@127.0.0.1:5432"

answers() { command -v psql >/dev/null 2>&1 && psql "$1/postgres" -Atqc 'select 1' >/dev/null 2>&1; }

if answers "$trust_url"; then echo "$trust_url/elevstod"; exit 0; fi
if answers "$role_url"; then echo "$role_url/elevstod"; exit 0; fi

if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  echo "PostgreSQL is not installed: installing Debian's postgresql" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi
version=$(ls /etc/postgresql | sort -n | tail -n 1)
if ! pg_lsclusters -h | grep -q online; then
  echo "Starting PostgreSQL $version" >&2
  pg_ctlcluster --skip-systemctl-redirect "$version" main start >&2
fi
for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 && break; sleep 1; done
if answers "$trust_url"; then echo "$trust_url/elevstod"; exit 0; fi
su postgres -c "psql -qc \"DO \\\$\\\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'elevstod') THEN
    CREATE ROLE elevstod LOGIN CREATEDB PASSWORD 'elevstod';
  END IF; END \\\$\\\$;\"" >&2
answers "$role_url" || { echo "PostgreSQL does not answer on 127.0.0.1:5432" >&2; exit 1; }
echo "$role_url/elevstod"
