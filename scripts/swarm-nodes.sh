#!/usr/bin/env bash
# A real three-node Docker Swarm on this one machine, for the swarm target's tests and for trying it out:
#
#   bash scripts/swarm-nodes.sh up       # idempotent: namespaces, bridge, three dockerds, swarm, labels, images
#   bash scripts/swarm-nodes.sh status   # one line per node (state, role, labels), exit 1 when not all Ready
#   bash scripts/swarm-nodes.sh images   # load the stack's local images into every node (also done by `up`)
#   bash scripts/swarm-nodes.sh down     # removes everything `up` made: dockerds, namespaces, bridge, data roots
#
# Each node is a `dockerd` in a network namespace of its own (wpswarm-nodeN) with its own data root, exec root and
# socket ($WEBPLATFORM_SWARM_RUN/nodeN/docker.sock). The nodes are wired by veth pairs to one bridge that sits in
# a namespace of its own too (wpswarm-hub), so every address (10.231.0.0/24) exists only inside these namespaces
# and the machine's own firewall (the main dockerd's FORWARD rules) never sees the swarm's traffic. The main
# engine (/var/run/docker.sock) is left out of the swarm: other tests use it. node1 is the manager; node2 is
# labelled the datastore node and node3 the edge node (WEBPLATFORM_SWARM_LABELS below). No registry is reachable,
# so images reach the nodes by `docker save | docker load` from the main engine.
source "$(dirname "$0")/lib.sh"

RUN_ROOT="${WEBPLATFORM_SWARM_RUN:-/run/webplatform-swarm}"
DATA_ROOT="${WEBPLATFORM_SWARM_DATA:-/var/lib/webplatform-swarm}"
NODE_COUNT=3
SUBNET_PREFIX="10.231.0"
HUB_NS="wpswarm-hub"
BRIDGE="wpswarm0"
# Overlay subnets come from here, never from the node link's range.
OVERLAY_POOL="10.232.0.0/16"
# node index → labels (key=value, space separated). The stack's placement constraints name these keys.
declare -A NODE_LABELS=(
  [1]="webplatform.role=manager"
  [2]="webplatform.datastore=true"
  [3]="webplatform.edge=true"
)
# Images the stack deploys (the dev stack's and the test's); a missing one on the main engine is skipped, saying so.
IMAGES=(${WEBPLATFORM_SWARM_IMAGES:-webplatform/debian:bookworm webplatform/postgres:15 webplatform/redis:7 webplatform/nginx:1.22 webplatform/sample-app:1.0.0 webplatform/sample-app:1.1.0})

node_ns() { echo "wpswarm-node$1"; }
node_ip() { echo "$SUBNET_PREFIX.$((10 + $1))"; }
node_sock() { echo "$RUN_ROOT/node$1/docker.sock"; }
node_docker() {
  local n="$1"
  shift
  docker -H "unix://$(node_sock "$n")" "$@"
}
ns_exists() { ip netns list | awk '{print $1}' | grep -qx "$1"; }

require_tools() {
  local missing=()
  for tool in ip dockerd docker; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done
  if ((${#missing[@]})); then
    log "swarm-nodes: missing ${missing[*]}; run bash scripts/setup.sh (it installs iproute2 and docker.io)"
    exit 1
  fi
}

make_network() {
  ns_exists "$HUB_NS" || ip netns add "$HUB_NS"
  ip -n "$HUB_NS" link set lo up
  if ! ip -n "$HUB_NS" link show "$BRIDGE" >/dev/null 2>&1; then
    ip -n "$HUB_NS" link add "$BRIDGE" type bridge
  fi
  ip -n "$HUB_NS" link set "$BRIDGE" up
  for n in $(seq 1 "$NODE_COUNT"); do
    local ns
    ns="$(node_ns "$n")"
    ns_exists "$ns" || ip netns add "$ns"
    ip -n "$ns" link set lo up
    if ! ip -n "$ns" link show eth0 >/dev/null 2>&1; then
      ip -n "$HUB_NS" link add "port$n" type veth peer name eth0 netns "$ns"
    fi
    ip -n "$HUB_NS" link set "port$n" master "$BRIDGE" up
    ip -n "$ns" addr replace "$(node_ip "$n")/24" dev eth0
    ip -n "$ns" link set eth0 up
  done
}

start_daemon() {
  local n="$1" dir ns
  dir="$RUN_ROOT/node$n"
  ns="$(node_ns "$n")"
  if node_docker "$n" info >/dev/null 2>&1; then return 0; fi
  mkdir -p "$dir" "$DATA_ROOT/node$n"
  # nsenter joins only the network namespace: `ip netns exec` would also mount a fresh /sys, hiding the cgroup
  # mounts dockerd needs. setsid keeps it alive after this shell exits. Its own exec root means its own managed
  # containerd, so nothing is shared with the main engine.
  # A UTS namespace of its own names the node (wpswarm-nodeN in `docker node ls`) without touching the machine's.
  nsenter --net="/run/netns/$ns" unshare --uts sh -c 'hostname "$1"; shift; exec setsid "$@"' sh "$ns" dockerd \
    --host "unix://$(node_sock "$n")" \
    --data-root "$DATA_ROOT/node$n" \
    --exec-root "$dir/exec" \
    --pidfile "$dir/dockerd.pid" \
    --cgroup-parent "/webplatform-swarm-node$n" \
    --log-level warn \
    >"$dir/dockerd.log" 2>&1 </dev/null &
}

wait_daemon() {
  local n="$1"
  local pid
  for _ in $(seq 1 90); do
    node_docker "$n" info >/dev/null 2>&1 && return 0
    pid="$(cat "$RUN_ROOT/node$n/dockerd.pid" 2>/dev/null || true)"
    # A dockerd that exited will not answer: say why at once instead of waiting out the minute and a half.
    if [[ -n "$pid" ]] && ! kill -0 "$pid" 2>/dev/null; then break; fi
    sleep 1
  done
  log "swarm-nodes: node$n's dockerd did not answer on $(node_sock "$n"); last lines of its log:"
  tail -20 "$RUN_ROOT/node$n/dockerd.log" >&2
  exit 1
}

swarm_state() { node_docker "$1" info --format '{{.Swarm.LocalNodeState}}' 2>/dev/null || echo "unreachable"; }

form_swarm() {
  if [[ "$(swarm_state 1)" != "active" ]]; then
    node_docker 1 swarm init --advertise-addr "$(node_ip 1)" --listen-addr "$(node_ip 1):2377" \
      --default-addr-pool "$OVERLAY_POOL" >/dev/null
  fi
  local token
  token="$(node_docker 1 swarm join-token -q worker)"
  for n in $(seq 2 "$NODE_COUNT"); do
    if [[ "$(swarm_state "$n")" != "active" ]]; then
      # The token is a join credential: it goes to the CLI's argv inside this machine only, never to a log.
      node_docker "$n" swarm join --token "$token" --advertise-addr "$(node_ip "$n")" \
        --listen-addr "$(node_ip "$n"):2377" "$(node_ip 1):2377" >/dev/null
    fi
  done
  for n in $(seq 1 "$NODE_COUNT"); do
    local id label_args=()
    id="$(node_docker "$n" info --format '{{.Swarm.NodeID}}')"
    for label in ${NODE_LABELS[$n]}; do label_args+=(--label-add "$label"); done
    node_docker 1 node update "${label_args[@]}" "$id" >/dev/null
  done
  for _ in $(seq 1 60); do
    [[ "$(node_docker 1 node ls --format '{{.Status}}' | grep -c '^Ready$')" == "$NODE_COUNT" ]] && return 0
    sleep 1
  done
  log "swarm-nodes: not every node became Ready:"
  node_docker 1 node ls >&2
  exit 1
}

load_images() {
  local archive_dir="$WEBPLATFORM_CACHE/swarm-images"
  mkdir -p "$archive_dir"
  for image in "${IMAGES[@]}"; do
    local id
    if ! id="$(docker image inspect --format '{{.Id}}' "$image" 2>/dev/null)"; then
      log "swarm-nodes: $image is not on the main engine (bash scripts/build-images.sh builds it); skipped"
      continue
    fi
    # Archives are keyed by image ID, so an image is saved once per build and a node loads it only when missing.
    local archive="$archive_dir/${id#sha256:}.tar"
    for n in $(seq 1 "$NODE_COUNT"); do
      if [[ "$(node_docker "$n" image inspect --format '{{.Id}}' "$image" 2>/dev/null)" == "$id" ]]; then continue; fi
      [[ -f "$archive" ]] || { docker save "$image" >"$archive.tmp" && mv "$archive.tmp" "$archive"; }
      node_docker "$n" load -q <"$archive" >/dev/null
      # `docker save` of a second tag of the same ID carries only that tag: tag it from the ID the node now has.
      node_docker "$n" tag "$id" "$image"
    done
  done
}

# Docker encrypts overlay traffic with IPsec ESP in AES-GCM (rfc4106(gcm(aes))). A kernel without ESP or GCM
# (this machine's: CONFIG_INET_ESP and CONFIG_CRYPTO_GCM unset) makes dockerd log "Failed Adding ... SA:
# function not implemented": an encrypted overlay still resolves names, but carries no packet between nodes.
overlay_encryption() {
  local config
  if ! config="$(zcat /proc/config.gz 2>/dev/null || cat "/boot/config-$(uname -r)" 2>/dev/null)"; then
    echo "unknown"
    return
  fi
  if grep -qE '^CONFIG_INET_ESP=(y|m)' <<<"$config" && grep -qE '^CONFIG_CRYPTO_GCM=(y|m)' <<<"$config"; then
    echo "supported"
  else
    echo "unsupported"
  fi
}

status() {
  local ok=0
  echo "overlay-encryption $(overlay_encryption)"
  for n in $(seq 1 "$NODE_COUNT"); do
    printf 'node%s %s %s %s\n' "$n" "$(node_ip "$n")" "$(node_sock "$n")" "$(swarm_state "$n")"
  done
  if [[ "$(swarm_state 1)" == "active" ]]; then
    node_docker 1 node ls --format '{{.Hostname}} {{.Status}} {{.ManagerStatus}}' | sed 's/^/  /'
    [[ "$(node_docker 1 node ls --format '{{.Status}}' | grep -c '^Ready$')" == "$NODE_COUNT" ]] || ok=1
  else
    ok=1
  fi
  return "$ok"
}

down() {
  for n in $(seq 1 "$NODE_COUNT"); do
    local dir="$RUN_ROOT/node$n" pid
    pid="$(cat "$dir/dockerd.pid" 2>/dev/null || true)"
    if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
      # Containers first, so their mounts and shims are gone before dockerd (and its containerd) stop.
      node_docker "$n" swarm leave --force >/dev/null 2>&1 || true
      node_docker "$n" ps -aq 2>/dev/null | xargs -r docker -H "unix://$(node_sock "$n")" rm -f >/dev/null 2>&1 || true
      kill "$pid"
      for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
      kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
    fi
    # Mounts a killed dockerd left under its roots would keep rm from removing them.
    grep -E " ($DATA_ROOT/node$n|$dir)/" /proc/mounts | awk '{print $2}' | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
    ns_exists "$(node_ns "$n")" && ip netns delete "$(node_ns "$n")"
    rm -rf "$dir" "$DATA_ROOT/node$n"
  done
  ns_exists "$HUB_NS" && ip netns delete "$HUB_NS"
  rmdir "$RUN_ROOT" "$DATA_ROOT" 2>/dev/null || true
}

up() {
  require_tools
  make_network
  for n in $(seq 1 "$NODE_COUNT"); do start_daemon "$n"; done
  for n in $(seq 1 "$NODE_COUNT"); do wait_daemon "$n"; done
  form_swarm
  load_images
  status
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  images) load_images ;;
  *)
    echo "usage: $0 up|down|status|images" >&2
    exit 2
    ;;
esac
