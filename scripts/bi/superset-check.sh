#!/usr/bin/env bash
# Superset check: installs Apache Superset into bi/superset/.venv, starts it on a fresh SQLite metadata
# database under .data/superset, imports the bundle of bi/superset/bundle through the REST API (as a
# user of an existing Superset would), and runs the saved query of every chart against the Tickstream
# database as the read-only role tickstream_bi. Exits non-zero if a chart is missing, fails, returns
# no rows or reaches its row limit. Not part of `npm test`: the first run installs Superset (about 2 minutes).
#
#   bash scripts/bi/superset-check.sh [--screenshot [FILE]] [--keep-running]
#
# --screenshot   also saves the dashboard as seen in headless Chromium (default
#                docs/screenshots/superset-dashboard.png; needs Node 24 and /usr/bin/chromium)
# --keep-running leave Superset up at http://127.0.0.1:$SUPERSET_PORT (admin / $SUPERSET_ADMIN_PASSWORD)
#                until Ctrl-C
#
# Environment (the shell's, then .env.local, then .env, as for the rest of the project):
#   DATABASE_URL           the Tickstream database; its host, port and name are used (default
#                          postgres://tickstream_app@127.0.0.1:55432/tickstream)
#   BI_READONLY_PASSWORD   password of tickstream_bi (default: the private cluster's, bi.password in
#                          $TICKSTREAM_DATA_DIR or .data, secrets/postgres.json)
#   SUPERSET_PORT          default 8088;  SUPERSET_ADMIN_PASSWORD  default admin
#   PYTHON                 interpreter for the venv (3.10 to 3.12; default python3)
set -euo pipefail

ROOT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT_DIR"

SCREENSHOT=""
KEEP_RUNNING=0
while [ $# -gt 0 ]; do
  case "$1" in
    --screenshot)
      SCREENSHOT="docs/screenshots/superset-dashboard.png"
      if [ $# -gt 1 ] && [ "${2#--}" = "$2" ]; then SCREENSHOT="$2"; shift; fi
      ;;
    --keep-running) KEEP_RUNNING=1 ;;
    -h | --help) sed -n '2,24p' "$0"; exit 0 ;;
    *) echo "superset-check: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

say() { echo "[superset-check] $*"; }
elapsed() { echo "$(($(date +%s) - $1)) s"; }

VENV="bi/superset/.venv"
STATE=".data/superset"
LOGS="$STATE/logs"
REQUIREMENTS="bi/superset/requirements.txt"
PORT="${SUPERSET_PORT:-8088}"
ADMIN_PASSWORD="${SUPERSET_ADMIN_PASSWORD:-admin}"
PYTHON="${PYTHON:-python3}"
mkdir -p "$LOGS"
T_START=$(date +%s)

# --- 1. Python venv with the pinned Superset ----------------------------------------------------------
if ! "$PYTHON" -c 'import sys; sys.exit(0 if (3, 10) <= sys.version_info[:2] <= (3, 12) else 1)' 2>/dev/null; then
  echo "superset-check: Superset 6.1 needs Python 3.10 to 3.12; $PYTHON is $("$PYTHON" --version 2>&1 || echo missing). Set PYTHON=python3.11." >&2
  exit 1
fi
REQ_HASH=$(sha256sum "$REQUIREMENTS" | cut -c1-16)
STAMP="$VENV/.tickstream-requirements"
if [ "$(cat "$STAMP" 2>/dev/null || true)" != "$REQ_HASH" ]; then
  T0=$(date +%s)
  say "installing Superset into $VENV from $REQUIREMENTS (first run, or the pins changed)"
  rm -rf "$VENV"
  "$PYTHON" -m venv "$VENV"
  if ! "$VENV/bin/pip" install --disable-pip-version-check -r "$REQUIREMENTS" >"$LOGS/pip.log" 2>&1; then
    tail -30 "$LOGS/pip.log" >&2
    echo "superset-check: pip install failed (full log: $LOGS/pip.log)" >&2
    exit 1
  fi
  echo "$REQ_HASH" >"$STAMP"
  say "pip install took $(elapsed "$T0")"
else
  say "reusing $VENV ($("$VENV/bin/pip" show apache-superset 2>/dev/null | sed -n 's/^Version: /apache-superset /p'))"
fi
PY="$VENV/bin/python"

# --- 2. Configuration: the shell's environment, then .env.local, then .env, then the defaults ----------
eval "$("$PY" - <<'EOF'
import json, os, shlex, sys
from urllib.parse import urlsplit
from dotenv import dotenv_values
env = {}
for name in (".env", ".env.local"):
    if os.path.exists(name):
        env.update({k: v for k, v in dotenv_values(name).items() if v is not None})
env.update(os.environ)
url = urlsplit(env.get("DATABASE_URL") or "postgres://tickstream_app@127.0.0.1:55432/tickstream")
password = env.get("BI_READONLY_PASSWORD")
secrets = os.path.join(env.get("TICKSTREAM_DATA_DIR") or ".data", "secrets", "postgres.json")
if not password and os.path.exists(secrets):
    with open(secrets) as f:
        password = json.load(f)["bi"]["password"]
if not password:
    sys.exit("set BI_READONLY_PASSWORD (the private cluster's is in .data/secrets/postgres.json)")
print("BI_HOST=" + shlex.quote(url.hostname or "127.0.0.1"))
print("BI_PORT=" + shlex.quote(str(url.port or 5432)))
print("BI_DB=" + shlex.quote(url.path.lstrip("/") or "tickstream"))
print("BI_PASSWORD=" + shlex.quote(password))
EOF
)"
if [ ! -s "$STATE/secret_key" ]; then
  "$PY" -c 'import secrets; print(secrets.token_urlsafe(42))' >"$STATE/secret_key"
  chmod 600 "$STATE/secret_key"
fi
export SUPERSET_CONFIG_PATH="$ROOT_DIR/bi/superset/superset_config.py"
export SUPERSET_SECRET_KEY
SUPERSET_SECRET_KEY=$(cat "$STATE/secret_key")
export SUPERSET_METADATA_DB_URI="sqlite:///$ROOT_DIR/$STATE/superset.db"
export FLASK_APP=superset
export PYTHONWARNINGS=ignore

# --- 3. A fresh metadata database (initialised once per Superset version, then copied) -----------------
PRISTINE="$STATE/metadata-$REQ_HASH.db"
T0=$(date +%s)
if [ ! -f "$PRISTINE" ]; then
  say "initialising Superset's metadata database (superset db upgrade, fab create-admin, superset init)"
  rm -f "$STATE/superset.db" "$STATE"/metadata-*.db
  {
    "$VENV/bin/superset" db upgrade &&
      "$VENV/bin/superset" fab create-admin --username admin --firstname Tickstream --lastname Admin \
        --email admin@tickstream.invalid --password "$ADMIN_PASSWORD" &&
      "$VENV/bin/superset" init
  } >"$LOGS/init.log" 2>&1 || {
    tail -30 "$LOGS/init.log" >&2
    echo "superset-check: initialising Superset failed (full log: $LOGS/init.log)" >&2
    exit 1
  }
  cp "$STATE/superset.db" "$PRISTINE"
  say "initialised in $(elapsed "$T0")"
else
  cp "$PRISTINE" "$STATE/superset.db"
fi

# --- 4. Start Superset --------------------------------------------------------------------------------
if "$PY" -c "import socket,sys; s=socket.socket(); sys.exit(0 if s.connect_ex(('127.0.0.1', $PORT)) == 0 else 1)"; then
  echo "superset-check: port $PORT is in use; stop what listens there or set SUPERSET_PORT" >&2
  exit 1
fi
T0=$(date +%s)
"$VENV/bin/gunicorn" --workers 2 --threads 4 --timeout 120 --bind "127.0.0.1:$PORT" \
  --log-level warning "superset.app:create_app()" >"$LOGS/server.log" 2>&1 &
SERVER_PID=$!
# shellcheck disable=SC2317 # called through the EXIT trap
stop_server() {
  if kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
}
trap stop_server EXIT
trap 'exit 130' INT TERM
for _ in $(seq 1 180); do
  if curl -fsS "http://127.0.0.1:$PORT/health" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    tail -30 "$LOGS/server.log" >&2
    echo "superset-check: Superset exited during start-up (log: $LOGS/server.log)" >&2
    exit 1
  fi
  sleep 1
done
curl -fsS "http://127.0.0.1:$PORT/health" >/dev/null || { echo "superset-check: Superset did not answer within 180 s" >&2; exit 1; }
say "Superset is up at http://127.0.0.1:$PORT in $(elapsed "$T0")"

# --- 5. Import the bundle and run every chart ---------------------------------------------------------
BUNDLE_ZIP="$STATE/tickstream-superset-bundle.zip"
"$PY" bi/superset/build_bundle.py --out "$BUNDLE_ZIP" \
  --sqlalchemy-uri "postgresql+psycopg2://tickstream_bi:XXXXXXXXXX@$BI_HOST:$BI_PORT/$BI_DB" >/dev/null
say "charts against $BI_HOST:$BI_PORT/$BI_DB as tickstream_bi"
T0=$(date +%s)
STATUS=0
"$PY" scripts/bi/superset_check.py --url "http://127.0.0.1:$PORT" --username admin --password "$ADMIN_PASSWORD" \
  --bundle "$BUNDLE_ZIP" --db-password "$BI_PASSWORD" || STATUS=$?
say "import and chart queries took $(elapsed "$T0")"

# --- 6. Optional screenshot ---------------------------------------------------------------------------
if [ -n "$SCREENSHOT" ] && [ "$STATUS" -eq 0 ]; then
  # shellcheck source=../lib/ensure-node.sh
  source scripts/lib/ensure-node.sh
  T0=$(date +%s)
  SUPERSET_URL="http://127.0.0.1:$PORT" SUPERSET_ADMIN_PASSWORD="$ADMIN_PASSWORD" \
    npx --no-install tsx scripts/bi/superset-screenshot.ts "$SCREENSHOT" || STATUS=$?
  say "screenshot took $(elapsed "$T0")"
fi

say "total $(elapsed "$T_START")"
if [ "$KEEP_RUNNING" -eq 1 ] && [ "$STATUS" -eq 0 ]; then
  say "Superset keeps running at http://127.0.0.1:$PORT/superset/dashboard/tickstream/ (admin / $ADMIN_PASSWORD); Ctrl-C stops it"
  wait "$SERVER_PID" || true
fi
exit "$STATUS"
