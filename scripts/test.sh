#!/bin/sh
# Runs every check (`npm test`): system packages, install, build, formatting, then the test suite.
#
# Ends with one plain line, `N passed, N failed` (`, N skipped` when some were), computed from
# vitest's JSON report, and exits with vitest's status (a run that failed with no failed test,
# say a test file that does not load, counts its failed files instead). A step that fails before vitest ends the
# run with `0 passed, 1 failed` and that step's status.
set -eu

cd "$(dirname "$0")/.."

report_json="test-artifacts/vitest.json"

# Runs one step; on failure names it, prints the closing line and exits with its status.
step() {
  name="$1"
  shift
  echo "== $name"
  status=0
  "$@" || status=$?
  if [ "$status" -ne 0 ]; then
    echo "test.sh: $name failed (exit $status)" >&2
    echo "0 passed, 1 failed"
    exit "$status"
  fi
}

# npm ci only when node_modules is missing or older than package-lock.json: it rebuilds the
# `pcap` addon, which takes a while on a Pi.
# shellcheck disable=SC2317 # called through step
install_node_modules() {
  marker="node_modules/.package-lock.json"
  if [ ! -f "$marker" ] || [ -n "$(find package-lock.json -newer "$marker")" ]; then
    npm ci
  else
    echo "node_modules is up to date with package-lock.json; skipping npm ci"
  fi
}

step "node version" sh scripts/check-node.sh
step "system packages" sh scripts/install-system-packages.sh test
step "npm ci" install_node_modules
step "build" npm run build
step "formatting" npx --no-install prettier --check .

echo "== vitest"
mkdir -p test-artifacts
rm -f "$report_json"
vitest_status=0
npx --no-install vitest run --reporter=default --reporter=json --outputFile="$report_json" ||
  vitest_status=$?

if [ ! -s "$report_json" ]; then
  echo "test.sh: vitest wrote no $report_json (exit $vitest_status); it did not finish" >&2
  echo "0 passed, 1 failed"
  exit 1
fi

# shellcheck disable=SC2016 # the $ signs belong to JavaScript
node -e '
const r = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8"))
const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0)
let failed = r.numFailedTests ?? 0
// A test file that fails to load fails no test, yet fails the run: count it so the line agrees.
if (failed === 0 && process.argv[2] !== "0") failed = Math.max(1, r.numFailedTestSuites ?? 0)
let line = `${r.numPassedTests ?? 0} passed, ${failed} failed`
if (skipped > 0) line += `, ${skipped} skipped`
console.log(line)
' "$report_json" "$vitest_status" || {
  echo "test.sh: could not read $report_json" >&2
  echo "0 passed, 1 failed"
  exit 1
}
exit "$vitest_status"
