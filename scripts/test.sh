#!/usr/bin/env bash
# `npm test`: every test layer on a fresh clone. Ensures Node 24 and the dependencies, starts (or reuses)
# PostgreSQL and Kafka, then runs unit, integration and browser tests, stops what it started, and ends
# with the counts of each layer. Any failing layer makes the exit status non-zero.
#   npm test -- unit|integration|e2e|faults   runs one layer only.
set -uo pipefail
ROOT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT_DIR"
set -e
# shellcheck source=lib/ensure-node.sh
source scripts/lib/ensure-node.sh
# shellcheck source=lib/ensure-deps.sh
source scripts/lib/ensure-deps.sh
set +e
export NEXT_TELEMETRY_DISABLED=1

layers=${1:-all}
mkdir -p test-results
state=test-results/stack-state.json
results=()
failed=0

run_layer() { # name, command...
  local name=$1; shift
  echo; echo "══ $name tests ══"
  local started=$SECONDS
  "$@"; local rc=$?
  results+=("$name|$rc|$((SECONDS - started))")
  [ "$rc" -eq 0 ] || failed=1
}

want() { [ "$layers" = all ] || [ "$layers" = "$1" ]; }

if want unit; then
  run_layer unit npx vitest run --project unit --reporter=default --reporter=json --outputFile.json=test-results/unit.json
fi

if want integration || want e2e; then
  if ! node --import tsx scripts/stack/cli.ts up --state "$state"; then
    echo "tickstream: could not start PostgreSQL/Kafka (see above)" >&2
    exit 1
  fi
  trap 'node --import tsx scripts/stack/cli.ts down --state "$state"' EXIT
fi

if want integration; then
  run_layer integration npx vitest run --project integration --reporter=default --reporter=json --outputFile.json=test-results/integration.json
fi

if want e2e; then
  if [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
    echo "tickstream: browser tests need Chromium: install Debian's chromium package (sudo apt-get install chromium) or set CHROMIUM_PATH" >&2
    results+=("e2e|1|0"); failed=1
  else
    run_layer build npm run build --silent
    run_layer e2e npx playwright test
  fi
fi

# Stop what this run started before the summary, so that the output ends with the counts.
if want integration || want e2e; then
  trap - EXIT
  node --import tsx scripts/stack/cli.ts down --state "$state"
fi

# The fault suite runs the product with a PostgreSQL and Kafka of its own (README "Faults"), after the
# shared stack is down so that both never compete for the two cores.
if want faults; then
  run_layer faults npm run test:faults --silent
fi
node --import tsx scripts/test-summary.ts "${results[@]}"
exit $failed
