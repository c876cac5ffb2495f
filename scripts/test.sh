#!/usr/bin/env bash
# The README's test command: sets up whatever is missing, then runs the unit tests (Pulumi mocks) and the
# engine tests (the real CLI, providers and Docker engine), and ends with one plain summary line.
source "$(dirname "$0")/lib.sh"
cd "$REPO_ROOT"

# What the checkout looks like before setup: tracked changes (with a hash of their content) and untracked files.
checkout_state() { git status --porcelain && git diff HEAD --binary | sha256sum; }
in_git=false
git rev-parse --is-inside-work-tree >/dev/null 2>&1 && in_git=true
$in_git && before_setup="$(checkout_state)"

bash scripts/setup.sh

report_dir="$(mktemp -d)"
status=0
# Setup must leave the checkout exactly as it found it (clean in CI): no rewritten lock, no build output outside
# .gitignore. A change fails the run and counts as one failed test in the summary.
setup_changes="$report_dir/setup-changes.txt"
if $in_git && [[ "$(checkout_state)" != "$before_setup" ]]; then
  { git status --porcelain && git --no-pager diff --stat; } > "$setup_changes"
  log "FAILED: setup changed the checkout; it must leave git status as it was. What changed:"
  cat "$setup_changes" >&2
  status=1
elif ! $in_git; then
  log "not a git checkout: skipping the check that setup leaves the checkout unchanged"
fi
# Two lanes run side by side. The deploying engine tests spend most of their time waiting on healthchecks, so
# the checks that need CPU but no shared Docker state (lint, unit tests, previews, the standalone app checks)
# run beside them. Each lane's lines carry its name; each step writes a report the summary below adds up.
lane() { # lane NAME COMMAND...: runs the command with its output prefixed, and records a failure
  local name="$1"; shift
  { "$@" 2>&1; } | sed -u "s/^/[$name] /" || echo "$name" >> "$report_dir/failed-lanes"
}
deploy_lane() {
  lane engine npx vitest run --project engine --reporter=default --reporter=json --outputFile="$report_dir/engine.json"
}
check_lane() {
  log "lint: eslint (zero warnings) and prettier"
  lane lint npm run --silent lint
  log "unit tests of the language-host front (toolchain/pulumi-language-nodejs-front)"
  lane go-test bash -c 'cd toolchain/pulumi-language-nodejs-front && go test ./...'
  lane unit npx vitest run --project unit --reporter=default --reporter=json --outputFile="$report_dir/unit.json"
  lane preview npx vitest run --project engine-preview --reporter=default --reporter=json \
    --outputFile="$report_dir/engine-preview.json"
  # The three real applications, run standalone against real PostgreSQL and Redis (images/verify-apps.sh).
  log "real applications: images/verify-apps.sh"
  lane apps bash -c "set -o pipefail; bash images/verify-apps.sh 2>&1 | tee '$report_dir/apps.txt'"
}
deploy_lane &
deploy_pid=$!
check_lane
wait "$deploy_pid"
if [[ -s "$report_dir/failed-lanes" ]]; then
  log "failed: $(sort -u "$report_dir/failed-lanes" | tr '\n' ' ')"
  status=1
fi

node -e '
  const fs = require("fs");
  let passed = 0, failed = 0, skipped = 0;
  const [setupChanges, appChecks, ...reports] = process.argv.slice(1);
  if (fs.existsSync(setupChanges)) {
    failed += 1;
    console.log("FAILED: setup changed the checkout (git status after setup):");
    console.log(fs.readFileSync(setupChanges, "utf8").trimEnd());
  }
  for (const file of reports) {
    if (!fs.existsSync(file)) { failed += 1; console.log(`no report from ${file}`); continue; }
    const report = JSON.parse(fs.readFileSync(file, "utf8"));
    passed += report.numPassedTests;
    failed += report.numFailedTests;
    skipped += report.numPendingTests + report.numTodoTests;
    // A file that failed to load has no test results but still counts as a failure.
    for (const suite of report.testResults) if (suite.status === "failed" && suite.assertionResults.length === 0) failed += 1;
  }
  // verify-apps.sh ends with its own "N passed, N failed" line; no such line means it did not finish.
  const appLines = fs.existsSync(appChecks) ? fs.readFileSync(appChecks, "utf8").match(/^\d+ passed, \d+ failed$/gm) : null;
  const apps = appLines && /^(\d+) passed, (\d+) failed$/.exec(appLines[appLines.length - 1]);
  if (apps) { passed += Number(apps[1]); failed += Number(apps[2]); } else { failed += 1; console.log("no summary from images/verify-apps.sh"); }
  console.log(`Tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
'  "$setup_changes" "$report_dir/apps.txt" "$report_dir/unit.json" "$report_dir/engine.json" \
  "$report_dir/engine-preview.json"
exit $status
