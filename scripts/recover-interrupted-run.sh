#!/usr/bin/env bash
# Makes a `pulumi up` that was interrupted (Ctrl-C, SIGKILL, a crash of the machine) safe to run again, and says
# each thing it does. Run it in the project directory before `pulumi up`, with the same PULUMI_BACKEND_URL (a
# file:// backend) and passphrase as the run; scripts/dev-up.sh does. A run that is still alive is left alone.
#   1. Plugin processes (providers, the language host, the program) that a killed CLI left behind in this
#      directory are ended, with the steps they were running (each plugin leads its own process group).
#   2. A stack lock whose process is gone is removed.
#   3. Creates the killed run left pending are cleared from the state, and any container such a create had
#      already made on the engine is stopped (gracefully) and removed, so the next up makes it again under a free
#      name instead of failing with "name already in use" or leaving an untracked container behind.
# Usage: recover-interrupted-run.sh <stack>
set -euo pipefail
stack="$1"
project_dir="$(pwd -P)"
say() { echo "recover: $*"; }

# Processes whose working directory is this project, by PID, with the name of their executable (argv[0], since
# /proc/PID/comm is cut at 15 characters).
project_processes() {
  for proc in /proc/[0-9]*; do
    [[ "$(readlink "$proc/cwd" 2>/dev/null)" == "$project_dir" ]] || continue
    local argv0
    argv0="$(tr '\0' '\n' < "$proc/cmdline" 2>/dev/null | head -n 1)" || continue
    echo "${proc#/proc/} ${argv0##*/}"
  done
}

if project_processes | grep -q ' pulumi$'; then
  say "a pulumi run is still going in $project_dir; nothing to recover" >&2
  exit 1
fi

# 1. Orphaned plugins: nothing of pulumi's runs here without a CLI, so whatever is left is a killed run's.
while read -r pid comm; do
  args="$(tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null || true)"
  if [[ "$comm" == pulumi-* || "$args" == *"@pulumi/pulumi/cmd/run"* ]]; then
    say "ending $comm (pid $pid), left running by an interrupted pulumi run"
    # pulumi starts each plugin as the leader of its own process group, so ending the group also ends the steps
    # it was running (a health gate's docker events, a smoke check's curl), which would otherwise outlive it.
    if [[ "$(ps -o pgid= -p "$pid" 2>/dev/null | tr -d ' ')" == "$pid" ]]; then
      kill -- "-$pid" 2>/dev/null || true
    else
      kill "$pid" 2>/dev/null || true
    fi
  fi
done < <(project_processes)

# 2. Stale locks of a file backend: a lock names the host and PID of the CLI that took it.
backend_dir="${PULUMI_BACKEND_URL#file://}"
if [[ "$PULUMI_BACKEND_URL" == file://* && -d "$backend_dir/.pulumi/locks" ]]; then
  while IFS= read -r lock; do
    holder="$(node -e 'const l = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); console.log(l.hostname, l.pid)' "$lock")"
    read -r host pid <<< "$holder"
    if [[ "$host" == "$HOSTNAME" ]] && ! kill -0 "$pid" 2>/dev/null; then
      say "removing the lock of stack $stack left by pulumi pid $pid, which is gone ($lock)"
      rm -f "$lock"
    fi
  done < <(find "$backend_dir/.pulumi/locks" -path "*/$stack/*.json" -type f)
fi

# 3. Pending creates, and the containers they may have made.
pending="$(pulumi stack export --stack "$stack" 2>/dev/null | node -e '
  let text = ""; process.stdin.on("data", (chunk) => (text += chunk)).on("end", () => {
    for (const op of JSON.parse(text || "{}").deployment?.pending_operations ?? []) {
      const name = op.resource?.type === "docker:index/container:Container" ? op.resource.inputs?.name ?? "-" : "-";
      console.log(op.type, op.resource?.urn, name);
    }
  });')" || pending=""
if [[ -n "$pending" ]]; then
  while read -r type urn container; do
    say "the interrupted run left a pending $type of $urn"
    if [[ "$type" == creating && "$container" != - ]] && docker inspect "$container" > /dev/null 2>&1; then
      say "removing container $container, made by that create but never recorded in the state"
      docker stop --time 20 "$container" > /dev/null
      docker rm "$container" > /dev/null
    fi
  done <<< "$pending"
  say "clearing the pending operations from the state (pulumi refresh --clear-pending-creates)"
  pulumi refresh --stack "$stack" --yes --non-interactive --clear-pending-creates --skip-preview > /dev/null
fi
