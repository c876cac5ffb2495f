#!/usr/bin/env bash
# The deploy command of the README's main job (scripts/dev-up.sh runs it): first makes an interrupted earlier run
# safe to repeat (scripts/recover-interrupted-run.sh), then `pulumi up --refresh`, so what changed on the engine
# behind Pulumi's back (a container removed or stopped by hand, or dead after its restarts ran out) is read back
# and repaired instead of reported "unchanged". Run it in the project directory.
# Usage: deploy-stack.sh <stack> [more pulumi up arguments]
set -euo pipefail
stack="$1"
shift
bash "$(dirname "$0")/recover-interrupted-run.sh" "$stack"
exec pulumi up --stack "$stack" --yes --non-interactive --refresh "$@"
