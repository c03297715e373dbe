#!/usr/bin/env bash
# docker-compose.yml's postgres service, first start only (empty volume): creates Tickstream's roles and
# database with docs/sql/create-roles.sql, the same SQL a user runs on a PostgreSQL of their own.
set -euo pipefail
: "${TICKSTREAM_OWNER_PASSWORD:?}" "${TICKSTREAM_APP_PASSWORD:?}" "${BI_READONLY_PASSWORD:?}"
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v owner_password="$TICKSTREAM_OWNER_PASSWORD" \
  -v app_password="$TICKSTREAM_APP_PASSWORD" \
  -v bi_password="$BI_READONLY_PASSWORD" \
  -f /tickstream/create-roles.sql
