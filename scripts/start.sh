#!/usr/bin/env bash
# `npm start` (and `npm run dev`): ensures Node 24 and the dependencies, then hands over to
# scripts/start.ts, which runs the whole product. Works on a fresh clone.
set -euo pipefail
ROOT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT_DIR"
# A stopped `npm start` stops its first run's installs too (scripts/lib/stoppable.sh).
STOPPABLE_FOLLOW_PARENT=1
# shellcheck source=lib/ensure-node.sh
source scripts/lib/ensure-node.sh
# shellcheck source=lib/ensure-deps.sh
source scripts/lib/ensure-deps.sh
exec node --import tsx scripts/start.ts "$@"
