#!/usr/bin/env bash
# Back up the PostgreSQL database named by DATABASE_URL into one file (pg_dump's custom format,
# compressed; consistent while the app runs), and a copy of the audit log's signed checkpoints
# beside it. docs/deployment.md, "Backup and restore".
#   scripts/backup.sh [FILE]     default: backups/elevstod-<UTC time>.dump
set -euo pipefail
cd "$(dirname "$0")/.."
[ -n "${DATABASE_URL:-}" ] || { echo "backup: set DATABASE_URL (postgres://…)" >&2; exit 2; }
case "$DATABASE_URL" in
  postgres://* | postgresql://*) ;;
  *) echo "backup: DATABASE_URL is not PostgreSQL; copy the SQLite file while the app is stopped" >&2; exit 2 ;;
esac
file=${1:-backups/elevstod-$(date -u +%Y%m%dT%H%M%SZ).dump}
mkdir -p "$(dirname "$file")"
umask 077  # the dump holds everything the app holds: readable by its owner only
pg_dump --format=custom --no-owner --no-privileges --file="$file.partial" --dbname="$DATABASE_URL"
mv "$file.partial" "$file"
checkpoints=${ELEVSTOD_AUDIT_CHECKPOINT_FILE:-}
if [ -n "$checkpoints" ] && [ -f "$checkpoints" ]; then
  cp "$checkpoints" "$file.checkpoints.jsonl"
fi
echo "$file"
