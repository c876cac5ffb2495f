#!/usr/bin/env bash
# End-to-end check of webplatform/sample-app against a real PostgreSQL and Redis on a private bridge network.
# Usage: images/sample-app/smoke-test.sh [image]     (default webplatform/sample-app:1.0.0)
# Needs the images webplatform/postgres:15 and webplatform/redis:7 (scripts/build-images.sh) and python3 on
# the host. Publishes the web port on 127.0.0.1 only. Removes every container, volume and network it made.
# Prints one line per check and ends with "N passed, N failed".
set -uo pipefail

IMAGE="${1:-webplatform/sample-app:1.0.0}"
NEXT_IMAGE="${NEXT_IMAGE:-webplatform/sample-app:1.1.0}"
PREFIX="sa-smoke-$$"
NET="$PREFIX-net"
PG_PASSWORD='pg p@ss:w/rd'          # needs percent-encoding in the URL
PG_PASSWORD_URL='pg%20p%40ss%3Aw%2Frd'
REDIS_PASSWORD='redis-secret-1'
SECRET_KEY="$(head -c 48 /dev/urandom | base64 | tr -d '/+=\n')$(head -c 24 /dev/urandom | base64 | tr -d '/+=\n')"
DATABASE_URL="postgresql://app:$PG_PASSWORD_URL@postgres:5432/app"
REDIS_URL="redis://:$REDIS_PASSWORD@redis:6379/0"
BROKER_URL="redis://:$REDIS_PASSWORD@redis:6379/1"
export DATABASE_URL REDIS_URL BROKER_URL SECRET_KEY

passed=0
failed=0
ok() { passed=$((passed + 1)); printf 'PASS  %s\n' "$*"; }
bad() { failed=$((failed + 1)); printf 'FAIL  %s\n' "$*"; }
check() { # check "description" command...
  local description="$1"; shift
  local out
  if out="$("$@" 2>&1)"; then ok "$description${out:+: $out}"; else bad "$description: $out"; fi
}

cleanup() {
  # LOG_DIR=/some/dir keeps every container's log for a look afterwards
  if [[ -n "${LOG_DIR:-}" ]]; then
    mkdir -p "$LOG_DIR"
    for c in $(docker ps -aq --filter "name=^$PREFIX-"); do
      docker logs "$c" >"$LOG_DIR/$(docker inspect -f '{{.Name}}' "$c" | sed "s#^/$PREFIX-##").log" 2>&1
    done
  fi
  docker ps -aq --filter "name=^$PREFIX-" | xargs -r docker rm -f >/dev/null 2>&1
  docker volume ls -q --filter "name=^$PREFIX-" | xargs -r docker volume rm >/dev/null 2>&1
  docker network rm "$NET" >/dev/null 2>&1
  true
}
trap cleanup EXIT

# Hardened like the platform runs it; secrets travel by name (`--env NAME`), never on the command line.
app() { # app NAME [docker run options...] -- command...
  local name="$1"; shift
  local opts=()
  while (($#)) && [[ "$1" != -- ]]; do opts+=("$1"); shift; done
  shift
  docker run --name "$PREFIX-$name" --network "$NET" --init \
    --read-only --tmpfs /tmp --user 10001:10001 --cap-drop ALL --security-opt no-new-privileges:true \
    --env DATABASE_URL --env REDIS_URL --env BROKER_URL --env SECRET_KEY --env ENVIRONMENT=production \
    "${opts[@]}" "$IMAGE" "$@"
}

HOST_PY="$(mktemp)"
trap 'cleanup; rm -f "$HOST_PY"' EXIT
cat >"$HOST_PY" <<'PY'
"""Host-side probes: `get URL`, `post URL JSON`, `ws HOST PORT PATH MESSAGE` (a raw-socket WebSocket client)."""
import base64, hashlib, json, os, socket, struct, sys, urllib.error, urllib.request

def http(method, url, body=None):
    data = body.encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()

def ws(host, port, path, message):
    key = base64.b64encode(os.urandom(16)).decode()
    sock = socket.create_connection((host, int(port)), timeout=10)
    sock.sendall((f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = sock.recv(1)
        if not chunk:
            raise SystemExit("connection closed during the handshake")
        head += chunk
    status_line, *headers = head.decode().split("\r\n")
    fields = {h.split(":", 1)[0].strip().lower(): h.split(":", 1)[1].strip() for h in headers if ":" in h}
    expected = base64.b64encode(hashlib.sha1((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").encode()).digest()).decode()
    if " 101 " not in status_line + " " or fields.get("sec-websocket-accept") != expected:
        raise SystemExit(f"bad handshake: {status_line} {fields}")
    payload = message.encode()
    mask = os.urandom(4)
    frame = bytes([0x81, 0x80 | len(payload)]) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    sock.sendall(frame)
    def read(n):
        data = b""
        while len(data) < n:
            chunk = sock.recv(n - len(data))
            if not chunk:
                raise SystemExit("connection closed")
            data += chunk
        return data
    first, second = read(2)
    length = second & 0x7F
    if length == 126:
        length = struct.unpack("!H", read(2))[0]
    opcode = first & 0x0F
    reply = read(length).decode()
    sock.sendall(bytes([0x88, 0x80]) + os.urandom(4))  # close
    sock.close()
    return status_line, opcode, reply

command = sys.argv[1]
if command == "get":
    status, body = http("GET", sys.argv[2]); print(status, body)
elif command == "post":
    status, body = http("POST", sys.argv[2], sys.argv[3]); print(status, body)
elif command == "ws":
    status_line, opcode, reply = ws(*sys.argv[2:6]); print(f"{status_line} | opcode {opcode} | {reply}")
PY
probe() { python3 "$HOST_PY" "$@"; }

expect_status() { # expect_status CODE URL [jq-less substring]
  local out
  out="$(probe get "$2")" || { echo "$out"; return 1; }
  echo "$out"
  [[ "$out" == "$1 "* ]] && [[ -z "${3:-}" || "$out" == *"$3"* ]]
}

wait_for() { # wait_for SECONDS command...
  local seconds="$1"; shift
  local end=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    ((SECONDS >= end)) && return 1
    sleep 1
  done
}

echo "== images: $IMAGE ($(docker image inspect -f '{{ index .Config.Labels "org.opencontainers.image.version" }}' "$IMAGE"))"
docker network create "$NET" >/dev/null
docker run -d --name "$PREFIX-postgres" --network "$NET" --network-alias postgres \
  -e POSTGRES_USER=app -e POSTGRES_PASSWORD="$PG_PASSWORD" -e POSTGRES_DB=app webplatform/postgres:15 >/dev/null
docker run -d --name "$PREFIX-redis" --network "$NET" --network-alias redis \
  webplatform/redis:7 redis-server --requirepass "$REDIS_PASSWORD" >/dev/null
pg_query() { docker exec "$PREFIX-postgres" psql -U app -d app -Atc "$1"; }
pg_ready() { docker exec "$PREFIX-postgres" pg_isready -U app -d app -h 127.0.0.1; }
check "postgres ready" wait_for 60 pg_ready
check "redis ready" wait_for 30 docker exec "$PREFIX-redis" redis-cli -a "$REDIS_PASSWORD" --no-auth-warning ping

# --- configuration errors fail loudly -----------------------------------------------------------------
out="$(docker run --rm --network "$NET" -e DATABASE_URL='postgresql://app:secretpw@postgres:54x2/app' "$IMAGE" migrate 2>&1)"
rc=$?
if [[ $rc == 2 && "$out" == *"DATABASE_URL: the port is not an integer"* && "$out" != *secretpw* ]]; then
  ok "non-integer DATABASE_URL port: exit $rc, $(grep -o 'DATABASE_URL: the port.*' <<<"$out")"
else bad "non-integer DATABASE_URL port: exit $rc: $out"; fi
out="$(docker run --rm --network "$NET" --env DATABASE_URL --env REDIS_URL -e ENVIRONMENT=production \
  -e SECRET_KEY=django-insecure-abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnop "$IMAGE" web 2>&1)"
rc=$?
if [[ $rc == 2 && "$out" == *"refusing to start"* ]]; then ok "production with django-insecure- SECRET_KEY refused: exit $rc"
else bad "production with insecure SECRET_KEY: exit $rc: $out"; fi
out="$(docker run --rm --network "$NET" --env DATABASE_URL --env REDIS_URL -e ENVIRONMENT=production -e SECRET_KEY=short \
  "$IMAGE" web 2>&1)"
rc=$?
if [[ $rc == 2 && "$out" == *"too short (5 characters"* ]]; then ok "production with a 5-character SECRET_KEY refused: exit $rc"
else bad "production with a short SECRET_KEY: exit $rc: $out"; fi

# --- migrations ----------------------------------------------------------------------------------------
out="$(app migrate-check0 --rm -- sample-app migrate --check 2>&1)"; rc=$?
[[ $rc == 1 ]] && ok "migrate --check on an empty database: exit 1: $out" || bad "migrate --check before: exit $rc: $out"
# two runs at once: the advisory lock makes one apply everything and the other find nothing to do
app migrate-a -d -- migrate >/dev/null
app migrate-b -d -- migrate >/dev/null
rc_a="$(docker wait "$PREFIX-migrate-a")"; rc_b="$(docker wait "$PREFIX-migrate-b")"
logs_a="$(docker logs "$PREFIX-migrate-a" 2>&1 | grep -E '^(applied|nothing)' | paste -sd, -)"
logs_b="$(docker logs "$PREFIX-migrate-b" 2>&1 | grep -E '^(applied|nothing)' | paste -sd, -)"
if [[ $rc_a == 0 && $rc_b == 0 && "$logs_a,$logs_b" == *"applied 0001_create_jobs"* && "$logs_a,$logs_b" == *"nothing to apply"* ]]; then
  ok "two concurrent migrate runs: exit $rc_a/$rc_b; A: $logs_a; B: $logs_b"
else bad "two concurrent migrate runs: exit $rc_a/$rc_b; A: $(docker logs "$PREFIX-migrate-a" 2>&1); B: $(docker logs "$PREFIX-migrate-b" 2>&1)"; fi
docker rm "$PREFIX-migrate-a" "$PREFIX-migrate-b" >/dev/null
out="$(app migrate-again --rm -- sample-app migrate 2>&1)"; rc=$?
[[ $rc == 0 && "$out" == *"nothing to apply"* ]] && ok "migrate again is a no-op: exit 0: $(tail -1 <<<"$out")" \
  || bad "migrate again: exit $rc: $out"
out="$(app migrate-check --rm -- sample-app migrate --check 2>&1)"; rc=$?
[[ $rc == 0 ]] && ok "migrate --check after: exit 0: $out" || bad "migrate --check after: exit $rc: $out"
check "schema_migrations rows" pg_query "SELECT string_agg(version || ':' || name, ' ' ORDER BY version) FROM schema_migrations"

# --- collectstatic into a volume -----------------------------------------------------------------------
out="$(app collectstatic --rm --mount "type=volume,src=$PREFIX-static,dst=/var/lib/app/static" -- collectstatic 2>&1)"; rc=$?
[[ $rc == 0 ]] && ok "collectstatic into a volume: $(grep -o 'copied.*' <<<"$out")" || bad "collectstatic: exit $rc: $out"

# --- web, worker, scheduler ----------------------------------------------------------------------------
HOST_PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
BASE="http://127.0.0.1:$HOST_PORT"
app web -d -p "127.0.0.1:$HOST_PORT:8000" -e DATA_DIR=/var/lib/app/data \
  --mount "type=volume,src=$PREFIX-data,dst=/var/lib/app/data" \
  --health-cmd "python3 -c \"import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=4)\"" \
  --health-interval 2s --health-timeout 5s --health-retries 3 -- >/dev/null
app worker -d --health-cmd "sample-app healthcheck worker" --health-interval 2s -- sample-app worker >/dev/null
app scheduler -d -e SCHEDULE_SECONDS=5 --health-cmd "sample-app healthcheck scheduler" --health-interval 2s \
  -- sample-app scheduler >/dev/null

check "web answers /health" wait_for 30 expect_status 200 "$BASE/health"
check "GET /health" expect_status 200 "$BASE/health" '{"status": "healthy", "components": {"database": {"status": "up"}, "redis": {"status": "up"}}}'
check "GET /api/health" expect_status 200 "$BASE/api/health" '"healthy"'
check "GET /api/migrations" expect_status 200 "$BASE/api/migrations" '{"pending": 0}'
check "GET /api/version" expect_status 200 "$BASE/api/version" '"1.0.0"'
check "GET / (html)" bash -c "python3 '$HOST_PY' get '$BASE/' | grep -o '<title>.*</title>'"
check "GET /static/app.js (served by the app too)" bash -c "python3 '$HOST_PY' get '$BASE/static/app.js' | head -c 40"
check "DATA_DIR written at start" docker run --rm --mount "type=volume,src=$PREFIX-data,dst=/d" --user 10001:10001 "$IMAGE" \
  python3 -c "print(open('/d/.sample-app-web').read().strip())"

created="$(probe post "$BASE/api/jobs" '{"payload": "hello platform"}')"
job_id="$(sed -nE 's/^202 \{"id": ([0-9]+)\}$/\1/p' <<<"$created")"
[[ -n "$job_id" ]] && ok "POST /api/jobs: $created" || bad "POST /api/jobs: $created"
job_done() { probe get "$BASE/api/jobs/$job_id" | grep -q '"status": "done"'; }
if wait_for 20 job_done; then ok "job $job_id done: $(probe get "$BASE/api/jobs/$job_id")"; else bad "job $job_id not done: $(probe get "$BASE/api/jobs/$job_id")"; fi
check "POST /api/jobs with a bad body -> 400" bash -c "python3 '$HOST_PY' post '$BASE/api/jobs' '{\"nope\": 1}' | grep '^400 '"
check "GET /api/jobs/999999 -> 404" expect_status 404 "$BASE/api/jobs/999999"
check "WebSocket echo on /ws/" bash -c "python3 '$HOST_PY' ws 127.0.0.1 $HOST_PORT /ws/ 'hello over websocket' | grep 'hello over websocket\$'"
tick_done() { pg_query "SELECT count(*) FROM jobs WHERE kind = 'tick' AND status = 'done'" | grep -qv '^0$'; }
check "scheduler tick job done" wait_for 20 tick_done
check "docker health: web" wait_for 20 bash -c "docker inspect -f '{{.State.Health.Status}}' $PREFIX-web | grep -x healthy"
check "docker health: worker" wait_for 20 bash -c "docker inspect -f '{{.State.Health.Status}}' $PREFIX-worker | grep -x healthy"
check "docker health: scheduler" wait_for 20 bash -c "docker inspect -f '{{.State.Health.Status}}' $PREFIX-scheduler | grep -x healthy"
check "sample-app healthcheck web" docker exec "$PREFIX-web" sample-app healthcheck web
check "sample-app healthcheck worker" docker exec "$PREFIX-worker" sample-app healthcheck worker
check "sample-app healthcheck scheduler" docker exec "$PREFIX-scheduler" sample-app healthcheck scheduler
check "nothing written outside /tmp and volumes (read-only rootfs)" bash -c "docker exec $PREFIX-web sh -c 'touch /var/lib/app/static/x 2>&1; echo rc=\$?' | grep -q 'Read-only file system' && echo read-only"
check "secrets absent from logs" bash -c "! docker logs $PREFIX-web 2>&1 | grep -F -e '$REDIS_PASSWORD' -e 'p@ss' -e '$PG_PASSWORD_URL' -e '$SECRET_KEY' && echo none"

# --- database outage ----------------------------------------------------------------------------------
docker stop "$PREFIX-postgres" >/dev/null
check "PostgreSQL stopped: /health 503" expect_status 503 "$BASE/health" '"database": {"status": "down"'
check "PostgreSQL stopped: healthcheck web exits 1" bash -c "! docker exec $PREFIX-web sample-app healthcheck web"
created="$(probe post "$BASE/api/jobs" '{"payload": "while the database is down"}')"
[[ "$created" == 503* ]] && ok "PostgreSQL stopped: POST /api/jobs: $created" || bad "PostgreSQL stopped: POST /api/jobs: $created"
docker start "$PREFIX-postgres" >/dev/null
check "PostgreSQL started again" wait_for 60 pg_ready
check "PostgreSQL back: /health 200" wait_for 30 expect_status 200 "$BASE/health" '"healthy"'
created="$(probe post "$BASE/api/jobs" '{"payload": "after the restart"}')"
job_id="$(sed -nE 's/^202 \{"id": ([0-9]+)\}$/\1/p' <<<"$created")"
if [[ -n "$job_id" ]] && wait_for 30 job_done; then ok "job after the restart done: $(probe get "$BASE/api/jobs/$job_id")"
else bad "job after the restart: $created $(probe get "$BASE/api/jobs/${job_id:-0}")"; fi

# --- the next app version: migrations re-run as a no-op, data kept --------------------------------------
if docker image inspect "$NEXT_IMAGE" >/dev/null 2>&1; then
  out="$(IMAGE="$NEXT_IMAGE"; app migrate-next --rm -- migrate 2>&1)"; rc=$?
  [[ $rc == 0 && "$out" == *"nothing to apply"* ]] && ok "$NEXT_IMAGE migrate: $(tail -1 <<<"$out")" || bad "$NEXT_IMAGE migrate: exit $rc: $out"
  next_version="$(docker run --rm "$NEXT_IMAGE" version)"
  label="$(docker image inspect -f '{{ index .Config.Labels "org.opencontainers.image.version" }}' "$NEXT_IMAGE")"
  [[ "$next_version" == 1.1.0 && "$label" == 1.1.0 ]] && ok "$NEXT_IMAGE reports version $next_version, label $label" \
    || bad "$NEXT_IMAGE version $next_version label $label"
  check "data kept across the version change (first job)" pg_query "SELECT status || ' ' || result FROM jobs WHERE payload = 'hello platform'"
fi

# --- clean shutdown on SIGTERM ----------------------------------------------------------------------------
for name in worker scheduler web; do
  started=$SECONDS
  docker stop "$PREFIX-$name" >/dev/null
  rc="$(docker inspect -f '{{.State.ExitCode}}' "$PREFIX-$name")"
  last="$(docker logs --tail 1 "$PREFIX-$name" 2>&1)"
  if [[ $rc == 0 ]] && ((SECONDS - started < 10)); then ok "docker stop $name: exit 0 in $((SECONDS - started))s (${last##*: })"
  else bad "docker stop $name: exit $rc after $((SECONDS - started))s: $last"; fi
done

echo
echo "$passed passed, $failed failed"
((failed == 0))
