# shellcheck shell=bash
# Sourced by the project's entry scripts. Puts a Node.js >= 24 on PATH: the machine's own when it is
# recent enough, otherwise the official binary shipped by the npm registry's `node` package, installed
# once into .tools/node (no internet needed beyond the npm registry).
NODE_MAJOR_REQUIRED=24
ROOT_DIR=${ROOT_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
# shellcheck source=stoppable.sh
source "$(dirname "${BASH_SOURCE[0]}")/stoppable.sh"

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ "$(node_major)" -lt "$NODE_MAJOR_REQUIRED" ]; then
  local_node_dir="$ROOT_DIR/.tools/node"
  if [ ! -x "$local_node_dir/node_modules/node/bin/node" ]; then
    if ! command -v npm >/dev/null 2>&1; then
      echo "tickstream: Node.js $NODE_MAJOR_REQUIRED+ is required and npm is missing; install Node.js $NODE_MAJOR_REQUIRED (https://nodejs.org)" >&2
      exit 1
    fi
    echo "tickstream: installing Node.js $NODE_MAJOR_REQUIRED into .tools/node (the machine has $(node -v 2>/dev/null || echo none))" >&2
    mkdir -p "$local_node_dir"
    # The `node` package fetches its binary in a preinstall script: allowed by name, as npm 11.16+ asks
    # (npm 12 skips a dependency's install scripts that allowScripts does not list; older npm ignores it).
    printf '{ "private": true, "allowScripts": { "node": true } }\n' >"$local_node_dir/package.json"
    run_stoppable npm install --prefix "$local_node_dir" --no-save --no-package-lock --no-audit --no-fund \
      "node@$NODE_MAJOR_REQUIRED" >&2
  fi
  export PATH="$local_node_dir/node_modules/node/bin:$PATH"
fi
