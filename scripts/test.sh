#!/usr/bin/env bash
# The one test command: sets up what is missing, then type-checks and runs every test
# (vitest unit/integration, Playwright end-to-end in Debian's Chromium) and prints "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1 NEXT_IGNORE_INCORRECT_LOCKFILE=1
scripts/setup.sh --tests || { echo "setup failed"; echo "0 passed, 1 failed"; exit 1; }

mkdir -p test-results
rm -f test-results/vitest.json test-results/playwright.json
status=0
SECONDS=0

echo; echo "==> type check"
typecheck=0
npx tsc --noEmit || { typecheck=1; status=1; }

echo; echo "==> unit and integration tests (vitest)"
npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json || status=1

echo; echo "==> end-to-end tests (Playwright, Chromium)"
PLAYWRIGHT_JSON_OUTPUT_NAME=test-results/playwright.json npx playwright test --reporter=list,json || status=1

echo; echo "tests took ${SECONDS}s"
node scripts/dev/summarize-tests.mjs test-results/vitest.json test-results/playwright.json "$typecheck" || status=1
exit $status
