# shellcheck shell=bash
# Sourced after ensure-node.sh (which defines run_stoppable): installs node_modules when missing or
# older than the lockfile.
# `npm install --no-save` installs exactly the locked versions, like `npm ci`, but tolerates the lock's
# missing entries for other platforms' optional binaries (@next/swc-darwin-*, @tailwindcss/oxide-win32-*):
# the registry mirror this project is built against serves Linux ones only, so they cannot be locked,
# and `npm ci` refuses a lock without them.
stamp="$ROOT_DIR/node_modules/.tickstream-lock-hash"
want=$(sha256sum "$ROOT_DIR/package-lock.json" "$ROOT_DIR/package.json" | sha256sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "tickstream: installing dependencies (npm install --no-save, versions from package-lock.json)" >&2
  run_stoppable env -C "$ROOT_DIR" npm install --no-save --no-audit --no-fund --loglevel=error >&2
  echo "$want" > "$stamp"
fi
