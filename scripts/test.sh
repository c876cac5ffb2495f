#!/usr/bin/env bash
# The README's test command: sets up whatever is missing, then runs the unit tests (Pulumi mocks) and the
# engine tests (the real CLI, providers and Docker engine), and ends with one plain summary line.
source "$(dirname "$0")/lib.sh"
cd "$REPO_ROOT"

bash scripts/setup.sh

report_dir="$(mktemp -d)"
status=0
log "lint: eslint (zero warnings) and prettier"
npm run --silent lint || status=1
npx vitest run --project unit --reporter=default --reporter=json --outputFile="$report_dir/unit.json" || status=1
npx vitest run --project engine --reporter=default --reporter=json --outputFile="$report_dir/engine.json" || status=1

node -e '
  const fs = require("fs");
  let passed = 0, failed = 0, skipped = 0;
  for (const file of process.argv.slice(1)) {
    if (!fs.existsSync(file)) { failed += 1; console.log(`no report from ${file}`); continue; }
    const report = JSON.parse(fs.readFileSync(file, "utf8"));
    passed += report.numPassedTests;
    failed += report.numFailedTests;
    skipped += report.numPendingTests + report.numTodoTests;
    // A file that failed to load has no test results but still counts as a failure.
    for (const suite of report.testResults) if (suite.status === "failed" && suite.assertionResults.length === 0) failed += 1;
  }
  console.log(`Tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
' "$report_dir/unit.json" "$report_dir/engine.json"
exit $status
