#!/usr/bin/env bash
# One-shot `superset-init` service of docker-compose.yml: creates Superset's metadata database if it is
# missing, migrates it, creates the admin user, and imports the Tickstream bundle (bi/superset/bundle)
# with its connection pointed at the compose PostgreSQL as tickstream_bi. Safe to re-run: existing
# users, the database connection, datasets and charts are kept; the dashboard is overwritten.
set -euo pipefail

DIR="${TICKSTREAM_SUPERSET_DIR:-/app/tickstream}"
: "${SUPERSET_METADATA_DB_URI:?}" "${SUPERSET_ADMIN_PASSWORD:?}" "${BI_READONLY_PASSWORD:?}"
BI_HOST="${TICKSTREAM_BI_DB_HOST:-postgres}"
BI_PORT="${TICKSTREAM_BI_DB_PORT:-5432}"
BI_DB="${TICKSTREAM_BI_DB_NAME:-tickstream}"

echo "[superset-init] metadata database"
python - <<'PY'
import os
import psycopg2
from psycopg2 import sql
from sqlalchemy.engine.url import make_url

url = make_url(os.environ["SUPERSET_METADATA_DB_URI"])
if url.get_backend_name() == "postgresql":
    conn = psycopg2.connect(host=url.host, port=url.port or 5432, user=url.username, password=url.password, dbname="postgres")
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (url.database,))
        if cur.fetchone() is None:
            cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(url.database)))
            print(f"[superset-init] created database {url.database}")
    conn.close()
PY
superset db upgrade

echo "[superset-init] admin user and roles"
# Prints "User already exists" and succeeds when the admin is there from an earlier run.
superset fab create-admin --username "${SUPERSET_ADMIN_USERNAME:-admin}" --firstname Tickstream --lastname Admin \
  --email "${SUPERSET_ADMIN_EMAIL:-admin@tickstream.invalid}" --password "$SUPERSET_ADMIN_PASSWORD"
superset init

echo "[superset-init] importing the Tickstream dashboard (tickstream_bi@$BI_HOST:$BI_PORT/$BI_DB)"
BUNDLE=$(mktemp -d)/tickstream-superset-bundle.zip
trap 'rm -rf "$(dirname "$BUNDLE")"' EXIT
# The zip holds the role's password (the CLI import cannot ask for it): it lives in a temp dir only.
python "$DIR/build_bundle.py" --out "$BUNDLE" \
  --sqlalchemy-uri "postgresql+psycopg2://tickstream_bi:XXXXXXXXXX@$BI_HOST:$BI_PORT/$BI_DB" \
  --password-env BI_READONLY_PASSWORD
superset import-dashboards --path "$BUNDLE" --username "${SUPERSET_ADMIN_USERNAME:-admin}"
echo "[superset-init] done: http://localhost:${SUPERSET_HOST_PORT:-8088}/superset/dashboard/tickstream/"
