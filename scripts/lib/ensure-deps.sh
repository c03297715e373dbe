# shellcheck shell=bash
# Sourced after ensure-node.sh: installs node_modules with `npm ci` when missing or older than the lockfile.
stamp="$ROOT_DIR/node_modules/.tickstream-lock-hash"
want=$(sha256sum "$ROOT_DIR/package-lock.json" | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "tickstream: installing dependencies (npm ci)" >&2
  (cd "$ROOT_DIR" && npm ci --no-audit --no-fund --loglevel=error) >&2
  echo "$want" > "$stamp"
fi
