#!/usr/bin/env bash
# Restore a dump of scripts/backup.sh into the EMPTY PostgreSQL database named by DATABASE_URL,
# bring its schema up to this release (migrate), then verify the audit log's hash chains against
# the signed checkpoints in ELEVSTOD_AUDIT_CHECKPOINT_FILE (exit 1 when a chain is broken or rows
# the checkpoints counted are missing). docs/deployment.md, "Backup and restore".
#   scripts/restore.sh FILE
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
export DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-elevstod.config.settings.production}
file=${1:-}
[ -n "$file" ] && [ -f "$file" ] || { echo "restore: name the dump file to restore" >&2; exit 2; }
[ -n "${DATABASE_URL:-}" ] || { echo "restore: set DATABASE_URL (postgres://…)" >&2; exit 2; }
tables=$(psql --no-psqlrc --tuples-only --no-align --dbname="$DATABASE_URL" \
  --command="SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
if [ "$tables" != 0 ]; then
  echo "restore: the database is not empty ($tables tables); restore into a new one" >&2
  exit 2
fi
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction \
  --dbname="$DATABASE_URL" "$file"
"$PY" manage.py migrate --noinput -v0
"$PY" manage.py verify_audit_chain --no-checkpoint
echo "restored $file; the audit chains are intact"
