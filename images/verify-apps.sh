#!/usr/bin/env bash
# Verifies the application images for real, standalone on the local Docker engine:
#   webplatform/django-platform (+ django-frontend), webplatform/fastapi-alembic, webplatform/fastapi-admin-bot
#   (+ telegram-bot-api-double), each 1.0.0 and then 1.1.0 over the same database.
#
# It starts webplatform/postgres:15 and webplatform/redis:7 the way the platform does (non-root, read-only,
# Redis password in a config written to tmpfs) on a user-defined network apps-test-net, runs every migration
# step, starts every process of every app with the platform's hardening (--read-only --tmpfs /tmp
# --cap-drop ALL --security-opt no-new-privileges:true --user 10001:10001 --init) and the image's own
# exec-form HEALTHCHECK, exercises every endpoint from a client container on that network, checks that no
# container logged a warning, an error or a traceback, upgrades each app to 1.1.0 (its new migration runs and
# every row stays), and takes Redis and PostgreSQL away to see the health endpoints answer 503 and recover.
# Nothing is published on a host port; nothing leaves the test network. Everything it creates is named
# apps-test-* and removed at the end (and leftovers of an earlier run at the start).
#
# Usage: images/verify-apps.sh [django|fastapi|adminbot ...]     (default: all three)
#   SKIP_BUILD=1   do not run scripts/build-images.sh first (it only rebuilds what changed anyway)
#   KEEP=1         leave the containers running at the end (for a look; the next run removes them)
#   LOG_DIR=dir    keep every container's log there
# Prints one line per check and ends with "N passed, N failed"; exits 1 when any check failed.
set -uo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NET=apps-test-net
P=apps-test
SECTIONS=("$@")
((${#SECTIONS[@]})) || SECTIONS=(django fastapi adminbot)

DJANGO=webplatform/django-platform
FRONTEND=webplatform/django-frontend:1.0.0
FASTAPI=webplatform/fastapi-alembic
ADMINBOT=webplatform/fastapi-admin-bot
DOUBLE=webplatform/telegram-bot-api-double:1.0.0
CLIENT_IMAGE=webplatform/django-platform:1.0.0 # any image with python3; the client needs only the stdlib

passed=0
failed=0
ok() { passed=$((passed + 1)); printf 'PASS  %s\n' "$*"; }
bad() { failed=$((failed + 1)); printf 'FAIL  %s\n' "$*"; }
note() { printf '\n== %s\n' "$*"; }

# check DESCRIPTION COMMAND...: passes when the command exits 0; its output is shown when it fails.
check() {
  local description="$1" out
  shift
  if out="$("$@" 2>&1)"; then ok "$description"; else bad "$description: $(printf '%s' "$out" | tail -n 15)"; fi
}
# check_rc WANT DESCRIPTION COMMAND...: passes when the command exits with WANT.
check_rc() {
  local want="$1" description="$2" out rc
  shift 2
  out="$("$@" 2>&1)"
  rc=$?
  if [[ "$rc" == "$want" ]]; then ok "$description"; else bad "$description: exit $rc, want $want: $(printf '%s' "$out" | tail -n 15)"; fi
}

remove_test_objects() { # only what this script names: apps-test-* containers and volumes, and apps-test-net
  docker ps -aq --filter "name=^$P-" | xargs -r docker rm -f >/dev/null 2>&1
  docker volume ls -q --filter "name=^$P-" | xargs -r docker volume rm >/dev/null 2>&1
  docker network rm "$NET" >/dev/null 2>&1
  true
}
cleanup() {
  if [[ -n "${LOG_DIR:-}" ]]; then
    mkdir -p "$LOG_DIR"
    local c
    for c in $(docker ps -aq --filter "name=^$P-"); do
      docker logs "$c" >"$LOG_DIR/$(docker inspect -f '{{.Name}}' "$c" | sed 's#^/##').log" 2>&1
    done
  fi
  [[ "${KEEP:-0}" == 1 ]] || remove_test_objects
  rm -rf "$WORK"
}

# --- secrets: URL-safe letters and digits, like the platform generates; they travel in env files -------------
secret() { LC_ALL=C tr -dc 'A-Za-z0-9' </dev/urandom | head -c "$1"; }
remove_test_objects # leftovers of an earlier run
WORK="$(mktemp -d /tmp/apps-test-verify.XXXXXX)"
chmod 700 "$WORK"
trap cleanup EXIT
PG_SUPER_PASSWORD="$(secret 40)"
REDIS_PASSWORD="$(secret 40)"

# --- helpers -----------------------------------------------------------------------------------------------
HARDEN=(--read-only --tmpfs /tmp --cap-drop ALL --security-opt no-new-privileges:true --user 10001:10001)
# The image's HEALTHCHECK test (exec form) is kept; only its timing is shortened for the test.
HEALTH_TIMING=(--health-interval 2s --health-timeout 8s --health-start-period 90s --health-retries 3)

# start NAME IMAGE ENV_FILE [docker options...] -- [command...]: a long-running app container, as the platform runs it
start() {
  local name="$1" image="$2" env_file="$3"
  shift 3
  local opts=()
  while (($#)) && [[ "$1" != -- ]]; do opts+=("$1"); shift; done
  (($#)) && shift
  docker run -d --name "$P-$name" --network "$NET" --init "${HARDEN[@]}" "${HEALTH_TIMING[@]}" \
    --env-file "$env_file" "${opts[@]}" "$image" "$@" >/dev/null
}
# oneshot IMAGE ENV_FILE [docker options...] -- command...: like the platform's migration step (docker run --rm)
oneshot() {
  local image="$1" env_file="$2"
  shift 2
  local opts=()
  while (($#)) && [[ "$1" != -- ]]; do opts+=("$1"); shift; done
  (($#)) && shift
  docker run --rm --network "$NET" "${HARDEN[@]}" --env-file "$env_file" "${opts[@]}" "$image" "$@"
}

# wait_healthy SECONDS NAME...: every container healthy within the time, none exited or unhealthy
wait_healthy() {
  local seconds="$1" deadline=$((SECONDS + $1)) name state pending
  shift
  while :; do
    pending=()
    for name in "$@"; do
      state="$(docker inspect -f '{{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{end}}' "$P-$name" 2>&1)"
      case "$state" in
        "running healthy") ;;
        "running starting" | "running unhealthy") pending+=("$name:${state#running }") ;;
        *) echo "$name is $state"; docker logs --tail 20 "$P-$name" 2>&1; return 1 ;;
      esac
    done
    ((${#pending[@]} == 0)) && return 0
    if ((SECONDS >= deadline)); then
      echo "not healthy within ${seconds}s: ${pending[*]}"
      for name in "${pending[@]}"; do
        docker inspect -f '{{range .State.Health.Log}}{{.Output}}{{end}}' "$P-${name%%:*}" 2>&1 | tail -3
        docker logs --tail 15 "$P-${name%%:*}" 2>&1
      done
      return 1
    fi
    sleep 1
  done
}

# Lines that must not appear in the log of a normally running container.
BAD_LOG='\b(WARNING|WARN|ERROR|CRITICAL|FATAL)\b|Traceback \(most recent call last\)|[A-Za-z]+(Warning|Error):|\[(warn|error|crit|alert|emerg)\]|"level": "(WARNING|ERROR|CRITICAL)"|zombie|[Dd]eprecat'
logs_clean() {
  local name lines status=0
  for name in "$@"; do
    lines="$(docker logs "$P-$name" 2>&1 | grep -E "$BAD_LOG" | head -5)"
    if [[ -n "$lines" ]]; then
      echo "$name: $lines"
      status=1
    fi
  done
  return "$status"
}

# py DESCRIPTION <<'EOF' ... EOF: runs Python (stdin) in a client container on the test network, with client.py
# importable. The script prints "PASS ..." / "FAIL ..." lines; each is counted. A crash counts as a failure.
py() {
  local description="$1" out rc line
  out="$(docker run --rm -i --network "$NET" --read-only --user 10001:10001 --cap-drop ALL \
    --security-opt no-new-privileges:true --env-file "$WORK/client.env" -v "$WORK/client:/verify:ro" \
    -e PYTHONPATH=/verify "$CLIENT_IMAGE" python3 - 2>&1)"
  rc=$?
  while IFS= read -r line; do
    case "$line" in
      PASS\ *) ok "${line#PASS }" ;;
      FAIL\ *) bad "${line#FAIL }" ;;
    esac
  done <<<"$out"
  if ((rc != 0)) && ! grep -q '^FAIL ' <<<"$out"; then
    bad "$description: the client exited $rc: $(tail -n 12 <<<"$out")"
  fi
}

psql_value() { # psql_value DB SQL: one value, as the superuser inside the database container
  docker exec -i "$P-postgres" psql -qtAX -v ON_ERROR_STOP=1 -U postgres -d "$1" -c "$2"
}

# replace NAME IMAGE ENV_FILE [options] -- command: stop the old container and start one from a new image
replace() {
  local name="$1"
  docker rm -f "$P-$name" >/dev/null 2>&1
  start "$@"
}

# writes_nothing NAME...: the container's own layer is unchanged (Docker's --init adds /usr/sbin/docker-init itself)
writes_nothing() {
  local name changes status=0
  for name in "$@"; do
    changes="$(docker diff "$P-$name" | grep -vxE 'C /usr|C /usr/sbin|A /usr/sbin/docker-init')"
    if [[ -n "$changes" ]]; then
      echo "$name changed: $changes"
      status=1
    fi
  done
  return "$status"
}

stops_cleanly() { # stops_cleanly NAME...: SIGTERM ends every process within 15 s (not killed)
  local name code status=0
  for name in "$@"; do
    docker stop -t 15 "$P-$name" >/dev/null
    code="$(docker inspect -f '{{.State.ExitCode}}' "$P-$name")"
    if [[ "$code" != 0 ]]; then
      echo "$name exited $code after SIGTERM"
      status=1
    fi
  done
  return "$status"
}

# --- the test client -----------------------------------------------------------------------------------------
mkdir -p "$WORK/client"
cat >"$WORK/client/client.py" <<'PYEOF'
"""Test client of verify-apps.sh, standard library only."""
import base64
import json
import os
import socket
import struct
import sys
import time
import urllib.error
import urllib.request

failures = 0


def result(condition, description, detail=""):
    """Prints PASS/FAIL for one check and returns the condition."""
    global failures
    if condition:
        print(f"PASS {description}", flush=True)
    else:
        failures += 1
        print(f"FAIL {description}{': ' + str(detail)[:600] if detail else ''}", flush=True)
    return condition


def done():
    sys.exit(1 if failures else 0)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def http(method, url, body=None, headers=None, data=None, timeout=20):
    """(status, headers, text); an HTTP error status is a result, not an exception."""
    headers = dict(headers or {})
    if body is not None:
        data = json.dumps(body).encode()
        headers.setdefault("Content-Type", "application/json")
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        response = OPENER.open(request, timeout=timeout)
    except urllib.error.HTTPError as error:
        response = error
    except OSError as error:
        return 0, {}, f"{error.__class__.__name__}: {error}"
    return response.status, response.headers, response.read().decode("utf-8", "replace")


def get_json(method, url, body=None, headers=None):
    status, response_headers, text = http(method, url, body, headers)
    try:
        return status, json.loads(text)
    except ValueError:
        return status, {"_text": text[:300]}


def basic(user, password):
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


def multipart(field, filename, content):
    boundary = "apps-test-boundary-7f3a"
    body = (
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{filename}\"\r\n"
        "Content-Type: text/plain\r\n\r\n"
    ).encode() + content + f"\r\n--{boundary}--\r\n".encode()
    return body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}


def wait_for(predicate, seconds, interval=0.5):
    deadline = time.monotonic() + seconds
    while True:
        value = predicate()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)


class WebSocket:
    """A minimal RFC 6455 client (masked text frames, no extensions)."""

    def __init__(self, host, port, path, headers=None, timeout=20):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        lines = [f"GET {path} HTTP/1.1", f"Host: {host}:{port}", "Upgrade: websocket", "Connection: Upgrade",
                 f"Sec-WebSocket-Key: {key}", "Sec-WebSocket-Version: 13"]
        lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        response = b""
        while b"\r\n\r\n" not in response:
            chunk = self.sock.recv(4096)
            if not chunk:
                break
            response += chunk
        head, _, self.buffer = response.partition(b"\r\n\r\n")
        self.status = int(head.split(b" ", 2)[1]) if head else 0

    def _read(self, count):
        while len(self.buffer) < count:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("the websocket was closed")
            self.buffer += chunk
        data, self.buffer = self.buffer[:count], self.buffer[count:]
        return data

    def receive(self):
        first, second = self._read(2)
        opcode, length = first & 0x0F, second & 0x7F
        if length == 126:
            length = struct.unpack("!H", self._read(2))[0]
        elif length == 127:
            length = struct.unpack("!Q", self._read(8))[0]
        payload = self._read(length)
        if opcode == 8:
            raise ConnectionError("the server closed the websocket")
        if opcode == 9:
            self._send(10, payload)
            return self.receive()
        return json.loads(payload.decode())

    def _send(self, opcode, payload):
        mask = os.urandom(4)
        size = len(payload)
        header = bytes([0x80 | opcode]) + (
            bytes([0x80 | size]) if size < 126 else bytes([0x80 | 126]) + struct.pack("!H", size)
        )
        self.sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))

    def send_json(self, value):
        self._send(1, json.dumps(value).encode())

    def close(self):
        self.sock.close()
PYEOF
: >"$WORK/client.env"
chmod 600 "$WORK/client.env"

# =============================================================================================================
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  note "images (scripts/build-images.sh rebuilds only what changed)"
  check "the application images build" bash "$REPO_ROOT/scripts/build-images.sh" django-platform django-platform-1.1.0 \
    django-frontend fastapi-alembic fastapi-alembic-1.1.0 fastapi-admin-bot fastapi-admin-bot-1.1.0 telegram-bot-api-double
fi
for image in webplatform/postgres:15 webplatform/redis:7 "$DJANGO:1.0.0" "$DJANGO:1.1.0" "$FRONTEND" "$FASTAPI:1.0.0" \
  "$FASTAPI:1.1.0" "$ADMINBOT:1.0.0" "$ADMINBOT:1.1.0" "$DOUBLE"; do
  if ! docker image inspect "$image" >/dev/null 2>&1; then
    bad "image $image is missing (bash scripts/build-images.sh)"
    printf '\n%d passed, %d failed\n' "$passed" "$failed"
    exit 1
  fi
done

check "no image runs an init of its own (the platform adds Docker's --init)" bash -c '
  for image in "$@"; do
    entry="$(docker image inspect -f "{{json .Config.Entrypoint}} {{json .Config.Cmd}}" "$image")"
    case "$entry" in *tini*|*dumb-init*|*docker-init*) echo "$image: $entry"; exit 1 ;; esac
  done' _ "$DJANGO:1.0.0" "$FASTAPI:1.0.0" "$ADMINBOT:1.0.0" "$DOUBLE" "$FRONTEND"
check "the app images run as 10001:10001 and the frontend as nginx (101)" bash -c '
  for image in "$@"; do
    user="$(docker image inspect -f "{{.Config.User}}" "$image")"
    case "$image" in *frontend*) want=101:101 ;; *) want=10001:10001 ;; esac
    [[ "$user" == "$want" ]] || { echo "$image runs as \"$user\", want $want"; exit 1; }
  done' _ "$DJANGO:1.0.0" "$DJANGO:1.1.0" "$FASTAPI:1.0.0" "$FASTAPI:1.1.0" "$ADMINBOT:1.0.0" "$ADMINBOT:1.1.0" "$DOUBLE" "$FRONTEND"
check "every image's HEALTHCHECK is exec form" bash -c '
  for image in "$@"; do
    test="$(docker image inspect -f "{{json .Config.Healthcheck.Test}}" "$image")"
    [[ "$test" == "[\"CMD\","* ]] || { echo "$image: $test"; exit 1; }
  done' _ "$DJANGO:1.0.0" "$FASTAPI:1.0.0" "$ADMINBOT:1.0.0" "$DOUBLE" "$FRONTEND"

# --- PostgreSQL and Redis, as the platform runs them ----------------------------------------------------------
note "PostgreSQL 15 and Redis 7 on $NET"
docker network create "$NET" >/dev/null
cat >"$WORK/postgres.env" <<EOF
POSTGRES_USER=postgres
POSTGRES_PASSWORD=$PG_SUPER_PASSWORD
POSTGRES_DB=postgres
EOF
docker run -d --name "$P-postgres" --network "$NET" --user postgres --read-only \
  --tmpfs /var/run/postgresql --tmpfs /tmp --shm-size 128m --init --cap-drop ALL --security-opt no-new-privileges:true \
  --env-file "$WORK/postgres.env" -v "$P-pgdata:/var/lib/postgresql/data" \
  --health-cmd 'pg_isready -U postgres -d postgres -h 127.0.0.1' --health-interval 1s --health-retries 60 \
  webplatform/postgres:15 >/dev/null
# components/redis.ts: the config, with requirepass, arrives in the environment and is written to tmpfs
cat >"$WORK/redis.env" <<EOF
REDISCLI_AUTH=$REDIS_PASSWORD
EOF
REDIS_CONFIG="$(printf 'bind 0.0.0.0\nport 6379\nprotected-mode yes\nrequirepass %s\ndir /data\nappendonly yes\nappendfsync everysec\nmaxmemory 256mb\nmaxmemory-policy noeviction\ndatabases 16\n' "$REDIS_PASSWORD")"
export REDIS_CONFIG
docker run -d --name "$P-redis" --network "$NET" --user redis --read-only --tmpfs /tmp --init --cap-drop ALL \
  --security-opt no-new-privileges:true --env-file "$WORK/redis.env" --env REDIS_CONFIG -v "$P-redisdata:/data" \
  --health-cmd 'redis-cli --no-auth-warning ping | grep -q PONG' --health-interval 1s --health-retries 60 \
  webplatform/redis:7 sh -c '(umask 077 && printf "%s\n" "$REDIS_CONFIG" > /tmp/redis.conf) && exec redis-server /tmp/redis.conf' >/dev/null
unset REDIS_CONFIG
check "PostgreSQL and Redis are healthy" wait_healthy 90 postgres redis

# create_database NAME ROLE PASSWORD: the role and database an app gets (SQL on stdin, never in argv)
create_database() {
  docker exec -i "$P-postgres" psql -q -v ON_ERROR_STOP=1 -U postgres -d postgres >/dev/null <<EOF
CREATE ROLE $2 LOGIN PASSWORD '$3';
CREATE DATABASE $1 OWNER $2;
EOF
}
redis_url() { printf 'redis://:%s@%s-redis:6379/%s' "$REDIS_PASSWORD" "$P" "$1"; }

# =============================================================================================================
verify_django() {
  note "django-platform (seeds 000, 001, 003): gunicorn, daphne, celery worker and beat; django-frontend"
  local password superuser_password
  password="$(secret 40)"
  superuser_password="$(secret 24)"
  check "database thebot_db" create_database thebot_db thebot "$password"
  # the stack of examples/django-celery-channels, plus SECURE_HSTS_PRELOAD (needed by check --deploy)
  cat >"$WORK/django.env" <<EOF
ENVIRONMENT=production
DJANGO_SETTINGS_MODULE=config.settings
DEBUG=False
SECRET_KEY=$(secret 64)
ALLOWED_HOSTS=thebot.example.com
CORS_ALLOWED_ORIGINS=https://thebot.example.com
CSRF_TRUSTED_ORIGINS=https://thebot.example.com
SESSION_COOKIE_SECURE=True
CSRF_COOKIE_SECURE=True
SECURE_SSL_REDIRECT=True
SECURE_HSTS_SECONDS=31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS=True
SECURE_HSTS_PRELOAD=True
USE_REDIS_CACHE=True
USE_REDIS_CHANNELS=True
DATABASE_URL=postgresql://thebot:$password@$P-postgres:5432/thebot_db
CELERY_BROKER_URL=$(redis_url 0)
CELERY_RESULT_BACKEND=$(redis_url 0)
REDIS_URL=$(redis_url 1)
CHANNELS_REDIS_URL=$(redis_url 2)
BEAT_TICK_SECONDS=3
WORKER_ALIVE_SECONDS=2
EOF
  cat >"$WORK/client.env" <<EOF
SUPERUSER_PASSWORD=$superuser_password
EOF
  local volumes=(-v "$P-static:/app/staticfiles" -v "$P-media:/var/lib/thebot/media")
  local image="$DJANGO:1.0.0"
  local web_cmd=(gunicorn config.wsgi:application --bind 0.0.0.0:8000 --workers 3 --access-logfile -)
  local daphne_cmd=(daphne -b 0.0.0.0 -p 8001 config.asgi:application)
  local worker_cmd=(celery -A config worker --loglevel=info --concurrency=2)
  local beat_cmd=(celery -A config beat --loglevel=info --schedule /tmp/celerybeat-schedule)
  local migrate_cmd=(sh -c "python manage.py migrate --noinput && python manage.py collectstatic --noinput")

  check_rc 1 "migrate --check exits 1 on an empty database (the pending-migration probe works)" \
    oneshot "$image" "$WORK/django.env" -- python3 manage.py migrate --check
  check "the example's migration step (migrate + collectstatic) runs to success" \
    oneshot "$image" "$WORK/django.env" "${volumes[@]}" -- "${migrate_cmd[@]}"
  check "the migration step is idempotent" oneshot "$image" "$WORK/django.env" "${volumes[@]}" -- "${migrate_cmd[@]}"
  check "migrate --check exits 0 after it (no pending migrations)" \
    oneshot "$image" "$WORK/django.env" -- python3 manage.py migrate --check
  local out
  out="$(oneshot "$image" "$WORK/django.env" -- python3 manage.py check --deploy --fail-level WARNING 2>&1)"
  if [[ $? == 0 && "$out" == *"System check identified no issues (0 silenced)."* ]]; then
    ok "check --deploy --fail-level WARNING: no issues, none silenced"
  else
    bad "check --deploy --fail-level WARNING: $out"
  fi
  check "makemigrations --check: the models match the migrations" \
    oneshot "$image" "$WORK/django.env" -- python3 manage.py makemigrations --check --dry-run
  cat >"$WORK/superuser.env" <<EOF
DJANGO_SUPERUSER_USERNAME=ops
DJANGO_SUPERUSER_EMAIL=ops@example.com
DJANGO_SUPERUSER_PASSWORD=$superuser_password
EOF
  check "createsuperuser --noinput" oneshot "$image" "$WORK/django.env" --env-file "$WORK/superuser.env" -- \
    python3 manage.py createsuperuser --noinput
  check_rc 1 "production settings refuse DEBUG=True and a django-insecure- key" \
    oneshot "$image" "$WORK/django.env" -e DEBUG=True -e SECRET_KEY=django-insecure-abc -- python3 manage.py check
  check "collectstatic wrote the admin's static files to the static volume" \
    oneshot "$image" "$WORK/django.env" "${volumes[@]}" -- test -s /app/staticfiles/admin/css/base.css

  start dj-web "$image" "$WORK/django.env" "${volumes[@]}" -- "${web_cmd[@]}"
  start dj-daphne "$image" "$WORK/django.env" "${volumes[@]}" -- "${daphne_cmd[@]}"
  start dj-worker "$image" "$WORK/django.env" "${volumes[@]}" -- "${worker_cmd[@]}"
  start dj-beat "$image" "$WORK/django.env" "${volumes[@]}" -- "${beat_cmd[@]}"
  check "web, daphne, worker and beat are healthy (the image's exec-form HEALTHCHECK)" \
    wait_healthy 120 dj-web dj-daphne dj-worker dj-beat
  local role
  for role in web daphne worker beat; do
    check "exec-form healthcheck: python3 /app/healthcheck.py $role" docker exec "$P-dj-$role" python3 /app/healthcheck.py "$role"
  done
  check "exec-form healthcheck: python3 /app/healthcheck.py worker-alive" docker exec "$P-dj-worker" python3 /app/healthcheck.py worker-alive
  check "the worker's event loop keeps touching its liveness file" worker_alive_advances
  check "the example's daphne healthcheck (socket connect to 8001)" docker exec "$P-dj-daphne" \
    python3 -c "import socket; socket.create_connection(('127.0.0.1', 8001), 3)"
  check "the example's worker healthcheck (celery inspect ping -d celery@\$HOSTNAME)" docker exec "$P-dj-worker" \
    sh -c 'celery -A config inspect ping -d celery@$HOSTNAME --timeout 5'
  check "the example's beat healthcheck (schedule file younger than 5 minutes)" docker exec "$P-dj-beat" \
    sh -c 'find /tmp/celerybeat-schedule -mmin -5 | grep -q .'
  check "a healthcheck fails when its process is not there" bash -c "! docker exec $P-dj-web python3 /app/healthcheck.py worker"

  py "django endpoints" <<'EOF'
import json, os
from client import *
WEB, PUBLIC = "http://apps-test-dj-web:8000", {"Host": "thebot.example.com", "X-Forwarded-Proto": "https"}
AUTH = {**PUBLIC, **basic("ops", os.environ["SUPERUSER_PASSWORD"])}

status, body = get_json("GET", WEB + "/api/system/health/live/")
result(status == 200 and body.get("status") == "healthy" and body.get("timestamp"), "GET /api/system/health/live/ 200 healthy (plain HTTP, Host 127.0.0.1-style)", body)
status, body = get_json("GET", WEB + "/api/system/readiness/")
result(status == 200 and body.get("dependencies", {}).get("database") == "ok" and body["dependencies"].get("redis") == "ok",
       "GET /api/system/readiness/ 200 with database ok and redis ok", body)
status, headers, _ = http("GET", WEB + "/api/system/version/", headers={"Host": "thebot.example.com"})
result(status == 301 and headers.get("Location", "").startswith("https://thebot.example.com/"), "plain HTTP is redirected to HTTPS (SECURE_SSL_REDIRECT)", status)
status, headers, text = http("GET", WEB + "/api/system/version/", headers=PUBLIC)
result(status == 200 and json.loads(text)["version"] == "1.0.0" and json.loads(text)["pending_migrations"] == [], "GET /api/system/version/ through X-Forwarded-Proto: https reports 1.0.0, nothing pending", text)
hsts = headers.get("Strict-Transport-Security", "")
result("max-age=31536000" in hsts and "includeSubDomains" in hsts and "preload" in hsts, "HSTS with includeSubDomains and preload on HTTPS responses", hsts)
result(headers.get("X-Content-Type-Options") == "nosniff" and headers.get("Referrer-Policy"), "nosniff and Referrer-Policy headers")

ws = WebSocket("apps-test-dj-daphne", 8001, "/ws/jobs/", {"Origin": "https://thebot.example.com"})
result(ws.status == 101, "websocket /ws/jobs/ from the site's origin: 101", ws.status)
hello = ws.receive()
result(hello.get("type") == "hello" and hello.get("version") == "1.0.0", "the consumer greets with its version", hello)
ws.send_json({"type": "ping"})
result(ws.receive().get("type") == "pong", "ping -> pong over the websocket")
status, job = get_json("POST", WEB + "/api/jobs/", {"kind": "reverse", "payload": "stressed"}, AUTH)
result(status == 201 and job.get("status") == "queued", "POST /api/jobs/ queues a Celery task (201)", job)
event = ws.receive()
result(event.get("type") == "job.finished" and event["job"]["id"] == job.get("id") and event["job"]["result"] == "desserts",
       "the worker's result is pushed to /ws/jobs/ through the Redis channel layer", event)
status, body = get_json("GET", f"{WEB}/api/jobs/{job.get('id')}/", headers=AUTH)
result(status == 200 and body.get("status") == "done" and body.get("result") == "desserts" and body.get("worker"),
       "GET /api/jobs/<id>/ shows the result and the worker", body)
status, body = get_json("POST", WEB + "/api/jobs/", {"kind": "wordcount", "payload": "one two three"}, AUTH)
done_job = wait_for(lambda: get_json("GET", f"{WEB}/api/jobs/{body.get('id')}/", headers=AUTH)[1].get("status") == "done", 20)
result(done_job, "a second job finishes too (wordcount)")
ws.close()

foreign = WebSocket("apps-test-dj-daphne", 8001, "/ws/jobs/", {"Origin": "https://evil.example.net"})
result(foreign.status == 403, "websocket from a foreign Origin is refused (403)", foreign.status)
probe = WebSocket("apps-test-dj-daphne", 8001, "/ws/")
result(probe.status == 101 and probe.receive().get("type") == "hello", "websocket /ws/ without Origin (the smoke check's request): 101", probe.status)
probe.close()

def ticked():
    return get_json("GET", WEB + "/api/system/status/", headers=PUBLIC)[1].get("beat", {}).get("ticks", 0) >= 2
result(wait_for(ticked, 30), "celery beat schedules the tick and a worker runs it (twice)")

data, headers = multipart("file", "report.txt", b"quarterly report\n")
status, headers2, text = http("POST", WEB + "/api/attachments/", headers={**AUTH, **headers}, data=data)
upload = json.loads(text) if status == 201 else {}
result(status == 201 and upload.get("size") == 17 and "/media/attachments/" in upload.get("file", ""), "POST /api/attachments/ stores an upload under /media/", text)
print("UPLOAD " + upload.get("file", "").split("/media/", 1)[-1])

status, _, text = http("GET", WEB + "/admin/login/", headers=PUBLIC)
result(status == 200 and "Django administration" in text and "/static/admin/css/base.css" in text, "GET /admin/login/ 200 (admin served by gunicorn, static from /static/)", status)
status, headers, _ = http("OPTIONS", WEB + "/api/jobs/", headers={**PUBLIC, "Origin": "https://thebot.example.com", "Access-Control-Request-Method": "POST"})
result(headers.get("Access-Control-Allow-Origin") == "https://thebot.example.com" and headers.get("Access-Control-Allow-Credentials") == "true",
       "CORS preflight from CORS_ALLOWED_ORIGINS is allowed with credentials", dict(headers))
status, headers, _ = http("OPTIONS", WEB + "/api/jobs/", headers={**PUBLIC, "Origin": "https://evil.example.net", "Access-Control-Request-Method": "POST"})
result(headers.get("Access-Control-Allow-Origin") is None, "CORS preflight from another origin gets no Allow-Origin")
done()
EOF
  check "the upload is in the media volume, readable by others (nginx serves it)" docker exec "$P-dj-web" \
    sh -c 'f=$(find /var/lib/thebot/media/attachments -name "report*.txt" | head -1) && [ -n "$f" ] && [ "$(stat -c %a "$f")" = 644 ]'
  check "web, daphne, worker and beat wrote nothing outside /tmp and their volumes" writes_nothing dj-web dj-daphne dj-worker dj-beat

  verify_frontend

  check "no warning, error or traceback in the logs of web, daphne, worker and beat" logs_clean dj-web dj-daphne dj-worker dj-beat
  # after the log check: Django logs refused requests (4xx) at WARNING, as it should
  py "django refusals" <<'EOF'
from client import *
WEB, PUBLIC = "http://apps-test-dj-web:8000", {"Host": "thebot.example.com", "X-Forwarded-Proto": "https"}
status, _, _ = http("GET", WEB + "/api/system/version/", headers={"Host": "evil.example.net", "X-Forwarded-Proto": "https"})
result(status == 400, "a Host outside ALLOWED_HOSTS is refused (400)", status)
status, _ = get_json("POST", WEB + "/api/jobs/", {"kind": "reverse", "payload": "x"}, PUBLIC)
result(status in (401, 403), "POST /api/jobs/ without credentials is refused", status)
done()
EOF

  # --- 1.1.0: an image change re-runs migrations and keeps every row ----------------------------------------
  local jobs_before users_before jobs_after users_after
  jobs_before="$(psql_value thebot_db 'SELECT count(*) FROM jobs_job')"
  users_before="$(psql_value thebot_db 'SELECT count(*) FROM auth_user')"
  image="$DJANGO:1.1.0"
  check_rc 1 "1.1.0: migrate --check sees the new migration as pending" \
    oneshot "$image" "$WORK/django.env" -- python3 manage.py migrate --check
  check "1.1.0: the migration step applies jobs.0002" oneshot "$image" "$WORK/django.env" "${volumes[@]}" -- "${migrate_cmd[@]}"
  check "1.1.0: migrate --check exits 0" oneshot "$image" "$WORK/django.env" -- python3 manage.py migrate --check
  check "1.1.0: makemigrations --check" oneshot "$image" "$WORK/django.env" -- python3 manage.py makemigrations --check --dry-run
  jobs_after="$(psql_value thebot_db 'SELECT count(*) FROM jobs_job')"
  users_after="$(psql_value thebot_db 'SELECT count(*) FROM auth_user')"
  if [[ "$jobs_before" -ge 2 && "$jobs_before" == "$jobs_after" && "$users_before" == "$users_after" ]]; then
    ok "1.1.0: every row kept ($jobs_after jobs, $users_after users)"
  else
    bad "1.1.0: rows before/after: jobs $jobs_before/$jobs_after, users $users_before/$users_after"
  fi
  check "1.1.0: jobs_job.priority exists and is nullable" bash -c "[ \"\$(docker exec $P-postgres psql -qtAX -U postgres -d thebot_db -c \"SELECT is_nullable FROM information_schema.columns WHERE table_name='jobs_job' AND column_name='priority'\")\" = YES ]"
  replace dj-web "$image" "$WORK/django.env" "${volumes[@]}" -- "${web_cmd[@]}"
  replace dj-daphne "$image" "$WORK/django.env" "${volumes[@]}" -- "${daphne_cmd[@]}"
  replace dj-worker "$image" "$WORK/django.env" "${volumes[@]}" -- "${worker_cmd[@]}"
  replace dj-beat "$image" "$WORK/django.env" "${volumes[@]}" -- "${beat_cmd[@]}"
  check "1.1.0: web, daphne, worker and beat are healthy" wait_healthy 120 dj-web dj-daphne dj-worker dj-beat
  py "django 1.1.0" <<'EOF'
import os
from client import *
WEB, PUBLIC = "http://apps-test-dj-web:8000", {"Host": "thebot.example.com", "X-Forwarded-Proto": "https"}
AUTH = {**PUBLIC, **basic("ops", os.environ["SUPERUSER_PASSWORD"])}
status, body = get_json("GET", WEB + "/api/system/version/", headers=PUBLIC)
result(status == 200 and body.get("version") == "1.1.0", "1.1.0: the web reports version 1.1.0", body)
status, body = get_json("GET", WEB + "/api/jobs/", headers=AUTH)
old = body.get("results", [])
result(status == 200 and len(old) >= 2 and all(job.get("status") == "done" and "priority" in job for job in old),
       "1.1.0: the jobs of 1.0.0 are listed, done, with priority null", body)
ws = WebSocket("apps-test-dj-daphne", 8001, "/ws/jobs/", {"Origin": "https://thebot.example.com"})
result(ws.receive().get("version") == "1.1.0", "1.1.0: daphne runs 1.1.0")
status, job = get_json("POST", WEB + "/api/jobs/", {"kind": "reverse", "payload": "drawer", "priority": 5}, AUTH)
result(status == 201 and job.get("priority") == 5, "1.1.0: a job with the new priority field is accepted", job)
event = ws.receive()
result(event.get("job", {}).get("result") == "reward", "1.1.0: its result arrives over the websocket", event)
done()
EOF
  check "1.1.0: no warning, error or traceback in the logs" logs_clean dj-web dj-daphne dj-worker dj-beat

  # --- outages: readiness is 503 while the database or Redis is away, and recovers ---------------------------
  docker pause "$P-redis" >/dev/null
  py "django without redis" <<'EOF'
from client import *
status, body = get_json("GET", "http://apps-test-dj-web:8000/api/system/readiness/")
result(status == 503 and body.get("dependencies", {}).get("redis") == "error" and body["dependencies"].get("database") == "ok",
       "readiness is 503 with redis error while Redis is down", body)
status, body = get_json("GET", "http://apps-test-dj-web:8000/api/system/health/live/")
result(status == 200, "liveness stays 200 while Redis is down", status)
done()
EOF
  docker unpause "$P-redis" >/dev/null
  docker pause "$P-postgres" >/dev/null
  py "django without postgres" <<'EOF'
from client import *
status, body = get_json("GET", "http://apps-test-dj-web:8000/api/system/readiness/")
result(status == 503 and body.get("dependencies", {}).get("database") == "error", "readiness is 503 with database error while PostgreSQL is down", body)
done()
EOF
  docker unpause "$P-postgres" >/dev/null
  py "django recovered" <<'EOF'
from client import *
ready = wait_for(lambda: get_json("GET", "http://apps-test-dj-web:8000/api/system/readiness/")[0] == 200, 30)
result(ready, "readiness is 200 again once both are back")
done()
EOF
  check "web, daphne, worker and beat stop cleanly on SIGTERM (exit 0)" stops_cleanly dj-web dj-daphne dj-worker dj-beat
}

ngx_curl() { docker exec "$P-nginx" curl -sk --max-time 10 -H "Host: thebot.example.com" "$@"; }
nginx_code() { # nginx_code PATH CODE
  local code
  code="$(ngx_curl -o /dev/null -w '%{http_code}' "https://127.0.0.1:8443$1")"
  [[ "$code" == "$2" ]] || { echo "GET $1 answered $code"; return 1; }
}
nginx_body_has() { # nginx_body_has PATH TEXT
  ngx_curl "https://127.0.0.1:8443$1" | grep -qF "$2" || { echo "GET $1 lacks $2"; return 1; }
}
nginx_security_headers() {
  local headers header
  headers="$(ngx_curl -D - -o /dev/null https://127.0.0.1:8443/nginx-health)" || return 1
  for header in 'Strict-Transport-Security: max-age=' 'X-Content-Type-Options: nosniff' 'X-Frame-Options: DENY' 'Referrer-Policy:'; do
    grep -qi "$header" <<<"$headers" || { echo "missing $header"; return 1; }
  done
}
nginx_websocket() { # the upgraded connection stays open, so curl ends at its time limit after printing the status
  local code
  code="$(docker exec "$P-nginx" curl -sk --http1.1 --max-time 2 -o /dev/null -w '%{http_code}' -H "Host: thebot.example.com" \
    -H 'Connection: Upgrade' -H 'Upgrade: websocket' -H 'Sec-WebSocket-Version: 13' \
    -H 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==' "https://127.0.0.1:8443$1")"
  [[ "$code" == 101 ]] || { echo "upgrade on $1 answered $code"; return 1; }
}

worker_alive_advances() {
  local before after
  before="$(docker exec "$P-dj-worker" stat -c %Y /tmp/celery-worker.alive)" || return 1
  sleep 4
  after="$(docker exec "$P-dj-worker" stat -c %Y /tmp/celery-worker.alive)" || return 1
  ((after > before)) || { echo "mtime stayed at $before"; return 1; }
}

# The frontend image standalone, and as the platform's nginx runs it (its own config from components/nginxConfig.ts,
# TLS, /api/ /admin/ to gunicorn, /ws/ upgraded to daphne, /static/ and /media/ from the volumes).
verify_frontend() {
  docker run -d --name "$P-frontend" --network "$NET" --init --read-only --tmpfs /tmp --cap-drop ALL \
    --security-opt no-new-privileges:true --health-interval 2s "$FRONTEND" >/dev/null
  check "frontend (standalone, uid 101, read-only) is healthy" wait_healthy 60 frontend
  local js css
  js="$(docker run --rm "$FRONTEND" sh -c 'cd /usr/share/nginx/html && ls assets/*.js')"
  css="$(docker run --rm "$FRONTEND" sh -c 'cd /usr/share/nginx/html && ls assets/*.css')"
  ASSETS="/$js /$css" py "frontend" <<EOF
from client import *
F = "http://apps-test-frontend:8080"
status, headers, text = http("GET", F + "/")
result(status == 200 and '<div id="root"></div>' in text and "/$js" in text and "/$css" in text, "frontend: / is the built index.html with its hashed assets", status)
status, headers, text = http("GET", F + "/$js")
result(status == 200 and "javascript" in headers.get("Content-Type", "") and "immutable" in headers.get("Cache-Control", ""), "frontend: the hashed JS is served as JavaScript, cached immutable", dict(headers))
status, headers, text = http("GET", F + "/$css")
result(status == 200 and headers.get("Content-Type", "").startswith("text/css"), "frontend: the hashed CSS is served as text/css", status)
status, headers, text = http("GET", F + "/jobs")
result(status == 200 and '<div id="root"></div>' in text, "frontend: a client-side route (/jobs) falls back to index.html", status)
done()
EOF

  local node=""
  for candidate in node "$HOME/.cache/webplatform/node/bin/node"; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -e 'process.exit(+process.versions.node.split(".")[0] >= 22 ? 0 : 1)' 2>/dev/null; then
      node="$candidate"
    fi
  done
  if [[ -z "$node" ]]; then
    printf 'SKIP  frontend behind the platform nginx config: no Node.js 22 to render components/nginxConfig.ts\n'
    return
  fi
  local config
  config="$(cd "$REPO_ROOT" && "$node" -e '
    // The compiled library that setup builds (npm run build:program), so the import graph is Node'"'"'s to resolve.
    // The header settings are the platform defaults (components/schemas/nginx.ts), as the examples leave them.
    const { hstsMaxAgeSeconds, hstsPreload, contentSecurityPolicy } = require("./bin/components/schemas/nginx.js").nginxSettingsSchema.parse({});
    Promise.resolve(require("./bin/components/nginxConfig.js")).then((m) => process.stdout.write(m.renderNginxConfig({
      serverNames: ["thebot.example.com"], httpPort: 8080, httpsPort: 8443, publicHttpsPort: 443,
      certificatePath: "/tmp/tls/certificate.pem", keyPath: "/tmp/tls/private-key.pem",
      routes: [{ path: "/api/", upstream: "apps-test-dj-web:8000" }, { path: "/admin/", upstream: "apps-test-dj-web:8000" },
               { path: "/ws/", upstream: "apps-test-dj-daphne:8001", websocket: true }],
      rootDirectory: "/usr/share/nginx/html", staticDirectory: "/srv/static", mediaDirectory: "/srv/media",
      headers: { hstsMaxAgeSeconds, hstsPreload, contentSecurityPolicy }, clientMaxBodySizeMb: 50, rateLimitPerSecond: 20, rateLimitBurst: 40 })))' 2>&1)"
  if [[ "$config" != *"server {"* ]]; then
    bad "render the platform's nginx config: $config"
    return
  fi
  local pem
  pem="$(docker run --rm --read-only --tmpfs /tmp "$FRONTEND" sh -c 'openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=thebot.example.com -keyout /tmp/key.pem -out /tmp/cert.pem >/dev/null 2>&1 && cat /tmp/cert.pem /tmp/key.pem')"
  local startup="mkdir -p /tmp/tls && printf '%s\\n' \"\$NGINX_CONFIG\" > /tmp/nginx.conf && printf '%s\\n' \"\$TLS_CERTIFICATE\" > /tmp/tls/certificate.pem && (umask 077 && printf '%s\\n' \"\$TLS_PRIVATE_KEY\" > /tmp/tls/private-key.pem) && unset TLS_PRIVATE_KEY && exec nginx -c /tmp/nginx.conf -g 'daemon off;'"
  NGINX_CONFIG="$config" TLS_CERTIFICATE="$(sed -n '/BEGIN CERTIFICATE/,/END CERTIFICATE/p' <<<"$pem")" \
    TLS_PRIVATE_KEY="$(sed -n '/BEGIN PRIVATE KEY/,/END PRIVATE KEY/p' <<<"$pem")" \
    docker run -d --name "$P-nginx" --network "$NET" --init --user nginx --read-only \
    --tmpfs /tmp:size=64m --tmpfs /var/cache/nginx:size=64m --tmpfs /var/run:size=1m --cap-drop ALL \
    --security-opt no-new-privileges:true -v "$P-static:/srv/static:ro" -v "$P-media:/srv/media:ro" \
    --env NGINX_CONFIG --env TLS_CERTIFICATE --env TLS_PRIVATE_KEY \
    --health-cmd 'wget -q -O /dev/null --no-check-certificate --header="Host: thebot.example.com" https://127.0.0.1:8443/nginx-health || exit 1' --health-interval 2s \
    "$FRONTEND" sh -c "$startup" >/dev/null
  check "frontend as the platform's nginx (generated config, TLS, non-root, read-only) is healthy" wait_healthy 60 nginx
  # the platform's smoke check, as components/smokeCheck.ts runs it: curl inside the nginx container
  check "through nginx: HSTS, nosniff, frame and referrer headers" nginx_security_headers
  check "through nginx: GET /api/system/health/live/ 200" nginx_code /api/system/health/live/ 200
  check "through nginx: GET /api/system/readiness/ 200" nginx_code /api/system/readiness/ 200
  check "through nginx: GET /admin/login/ 200 (X-Forwarded-Proto https: no redirect loop)" nginx_code /admin/login/ 200
  check "through nginx: /static/admin/css/base.css from the static volume" nginx_code /static/admin/css/base.css 200
  check "through nginx: GET / is the single-page app" nginx_body_has / '<div id="root"></div>'
  check "through nginx: GET /jobs falls back to the single-page app" nginx_body_has /jobs '<div id="root"></div>'
  local upload
  upload="$(docker exec "$P-dj-web" sh -c 'cd /var/lib/thebot/media && find attachments -name "report*.txt" | head -1')"
  check "through nginx: the upload is served from the media volume" nginx_body_has "/media/$upload" 'quarterly report'
  check "through nginx: WebSocket upgrade on /ws/ answers 101 (the smoke check's request)" nginx_websocket /ws/
  check "no warning or error in the frontend's logs (standalone and as the platform's nginx)" logs_clean frontend nginx
}

# =============================================================================================================
verify_fastapi() {
  note "fastapi-alembic (seed 002): gunicorn + uvicorn workers, alembic, passlib + bcrypt"
  local password
  password="$(secret 40)"
  check "database privexbot" create_database privexbot privexbot "$password"
  cat >"$WORK/fastapi.env" <<EOF
ENVIRONMENT=production
LOG_LEVEL=INFO
SECRET_KEY=$(secret 64)
DATABASE_URL=postgresql://privexbot:$password@$P-postgres:5432/privexbot
REDIS_URL=$(redis_url 3)
CORS_ORIGINS=https://app.privexbot.example.com,https://admin.privexbot.example.com
EOF
  local image="$FASTAPI:1.0.0"
  local web_cmd=(gunicorn src.app.main:app --workers 4 --worker-class uvicorn.workers.UvicornWorker --bind 0.0.0.0:8000 --access-logfile - --error-logfile -)
  local migrate_cmd=(sh -c "cd /app/src && alembic upgrade head")
  check_rc 1 "the pending-migration probe exits 1 on an empty database" oneshot "$image" "$WORK/fastapi.env" -- python3 -m src.app.migrations check
  check "the example's migration step (cd /app/src && alembic upgrade head)" oneshot "$image" "$WORK/fastapi.env" -- "${migrate_cmd[@]}"
  check "alembic upgrade head from any directory (ALEMBIC_CONFIG), idempotent" oneshot "$image" "$WORK/fastapi.env" -- alembic upgrade head
  check "the probe exits 0 after it (at head, models match the schema)" oneshot "$image" "$WORK/fastapi.env" -- python3 -m src.app.migrations check
  check "alembic current shows the head" bash -c "docker run --rm --network $NET ${HARDEN[*]} --env-file $WORK/fastapi.env $image alembic current 2>&1 | grep -q '0001 (head)'"
  check_rc 2 "production settings refuse a short SECRET_KEY and a missing REDIS_URL (exit 2, no traceback)" \
    oneshot "$image" "$WORK/fastapi.env" -e SECRET_KEY=short -e REDIS_URL= -- python3 -m src.app.migrations check

  start fa-web "$image" "$WORK/fastapi.env" -- "${web_cmd[@]}"
  check "web is healthy (the image's exec-form HEALTHCHECK)" wait_healthy 120 fa-web
  py "fastapi endpoints" <<'EOF'
from client import *
A = "http://apps-test-fa-web:8000"
status, body = get_json("GET", A + "/health")
result(status == 200 and body.get("status") == "healthy" and body["components"]["database"]["status"] == "up"
       and body["components"]["redis"]["status"] == "up" and "latency_ms" in body["components"]["database"], "GET /health 200 with database and redis up", body)
status, body = get_json("POST", A + "/api/users", {"email": "Alice@Example.com", "password": "correct horse battery"})
result(status == 201 and body.get("email") == "alice@example.com", "POST /api/users registers (201)", body)
status, body = get_json("POST", A + "/api/users", {"email": "alice@example.com", "password": "another password"})
result(status == 409, "the same e-mail again is a conflict (409)", body)
status, body = get_json("POST", A + "/api/users", {"email": "not-an-address", "password": "correct horse battery"})
result(status == 422, "an invalid e-mail address is refused (422, email-validator)", status)
status, body = get_json("POST", A + "/api/login", {"email": "alice@example.com", "password": "correct horse battery"})
token = body.get("access_token", "")
result(status == 200 and token and body.get("token_type") == "bearer", "POST /api/login with the right password: 200 and a token (bcrypt verify)", body)
status, body = get_json("POST", A + "/api/login", {"email": "alice@example.com", "password": "wrong password"})
result(status == 401, "POST /api/login with a wrong password: 401", status)
status, body = get_json("GET", A + "/api/me", headers={"Authorization": "Bearer " + token})
result(status == 200 and body.get("email") == "alice@example.com", "GET /api/me with the token", body)
status, body = get_json("GET", A + "/api/me", headers={"Authorization": "Bearer forged.token.value"})
result(status == 401, "a forged token is refused", status)
status, body = get_json("POST", A + "/api/chatbots", {"name": "support", "system_prompt": "be kind"}, {"Authorization": "Bearer " + token})
result(status == 201, "POST /api/chatbots (201)", body)
status, body = get_json("GET", A + "/api/chatbots", headers={"Authorization": "Bearer " + token})
result(status == 200 and [bot["name"] for bot in body] == ["support"], "GET /api/chatbots lists the user's chatbot", body)
get_json("POST", A + "/api/users", {"email": "bob@example.com", "password": "bob's long password"})
codes = [get_json("POST", A + "/api/login", {"email": "bob@example.com", "password": "guess %d" % i})[0] for i in range(5)]
status, _ = get_json("POST", A + "/api/login", {"email": "bob@example.com", "password": "bob's long password"})
result(codes == [401] * 5 and status == 429, "five failed logins lock the address (429), counted in Redis", (codes, status))
status, body = get_json("GET", A + "/api/version")
result(status == 200 and body.get("version") == "1.0.0" and body.get("pending") == [], "GET /api/version: 1.0.0, nothing pending", body)
status, _, text = http("GET", A + "/docs")
result(status == 200 and "swagger" in text.lower(), "GET /docs (the route nginx forwards)", status)
status, headers, _ = http("OPTIONS", A + "/api/login", headers={"Origin": "https://admin.privexbot.example.com", "Access-Control-Request-Method": "POST"})
result(status == 200 and headers.get("access-control-allow-origin") == "https://admin.privexbot.example.com", "CORS preflight from a listed origin (CORS_ORIGINS, comma-separated)", status)
status, headers, _ = http("OPTIONS", A + "/api/login", headers={"Origin": "https://evil.example.net", "Access-Control-Request-Method": "POST"})
result(headers.get("access-control-allow-origin") is None, "CORS preflight from another origin gets no Allow-Origin", dict(headers))
done()
EOF
  check "the stored password is a bcrypt hash (passlib, 12 rounds)" bash -c "[ \"\$(docker exec $P-postgres psql -qtAX -U postgres -d privexbot -c \"SELECT substr(password_hash, 1, 7) FROM users WHERE email='alice@example.com'\")\" = '\$2b\$12\$' ]"
  check "the web container wrote nothing outside /tmp" writes_nothing fa-web
  check "no warning, error or traceback in the web's log" logs_clean fa-web

  local users_before chatbots_before
  users_before="$(psql_value privexbot 'SELECT count(*) FROM users')"
  chatbots_before="$(psql_value privexbot 'SELECT count(*) FROM chatbots')"
  image="$FASTAPI:1.1.0"
  check_rc 1 "1.1.0: the probe sees revision 0002 pending" oneshot "$image" "$WORK/fastapi.env" -- python3 -m src.app.migrations check
  check "1.1.0: alembic upgrade head applies 0002" oneshot "$image" "$WORK/fastapi.env" -- "${migrate_cmd[@]}"
  check "1.1.0: the probe exits 0" oneshot "$image" "$WORK/fastapi.env" -- python3 -m src.app.migrations check
  if [[ "$users_before" == 2 && "$(psql_value privexbot 'SELECT count(*) FROM users')" == "$users_before" &&
    "$(psql_value privexbot 'SELECT count(*) FROM chatbots')" == "$chatbots_before" ]]; then
    ok "1.1.0: every row kept ($users_before users, $chatbots_before chatbots)"
  else
    bad "1.1.0: rows changed (users before $users_before)"
  fi
  check "1.1.0: users.display_name exists and is nullable" bash -c "[ \"\$(docker exec $P-postgres psql -qtAX -U postgres -d privexbot -c \"SELECT is_nullable FROM information_schema.columns WHERE table_name='users' AND column_name='display_name'\")\" = YES ]"
  replace fa-web "$image" "$WORK/fastapi.env" -- "${web_cmd[@]}"
  check "1.1.0: web is healthy" wait_healthy 120 fa-web
  py "fastapi 1.1.0" <<'EOF'
from client import *
A = "http://apps-test-fa-web:8000"
status, body = get_json("GET", A + "/api/version")
result(body.get("version") == "1.1.0" and body.get("database_revision") == ["0002"], "1.1.0: reports 1.1.0 at revision 0002", body)
status, body = get_json("POST", A + "/api/login", {"email": "alice@example.com", "password": "correct horse battery"})
token = body.get("access_token", "")
result(status == 200, "1.1.0: a user of 1.0.0 still logs in", status)
status, body = get_json("GET", A + "/api/me", headers={"Authorization": "Bearer " + token})
result(status == 200 and "display_name" in body and body["display_name"] is None, "1.1.0: the old user has display_name null", body)
status, body = get_json("POST", A + "/api/users", {"email": "carol@example.com", "password": "carol's long password", "display_name": "Carol"})
result(status == 201 and body.get("display_name") == "Carol", "1.1.0: a new user with a display_name", body)
done()
EOF
  check "1.1.0: no warning, error or traceback in the web's log" logs_clean fa-web

  docker pause "$P-redis" >/dev/null
  py "fastapi without redis" <<'EOF'
from client import *
status, body = get_json("GET", "http://apps-test-fa-web:8000/health")
result(status == 503 and body["components"]["redis"]["status"] == "down" and body["components"]["database"]["status"] == "up", "/health is 503 with redis down while Redis is away", body)
done()
EOF
  docker unpause "$P-redis" >/dev/null
  docker pause "$P-postgres" >/dev/null
  py "fastapi without postgres" <<'EOF'
from client import *
status, body = get_json("GET", "http://apps-test-fa-web:8000/health")
result(status == 503 and body["components"]["database"]["status"] == "down", "/health is 503 with database down while PostgreSQL is away", body)
done()
EOF
  docker unpause "$P-postgres" >/dev/null
  py "fastapi recovered" <<'EOF'
from client import *
result(wait_for(lambda: get_json("GET", "http://apps-test-fa-web:8000/health")[0] == 200, 30), "/health is 200 again once both are back")
done()
EOF
  check "web stops cleanly on SIGTERM (exit 0)" stops_cleanly fa-web
}

# =============================================================================================================
verify_adminbot() {
  note "fastapi-admin-bot (seed 004): admin UI + Telegram bot worker, against the Telegram Bot API test double"
  local password admin_password token
  password="$(secret 40)"
  admin_password="$(secret 40)"
  token="$(LC_ALL=C tr -dc '1-9' </dev/urandom | head -c 10):$(secret 35)"
  check "database recruitsmart" create_database recruitsmart recruitsmart "$password"
  cat >"$WORK/double.env" <<EOF
DOUBLE_BOT_TOKENS=$token
EOF
  start tg "$DOUBLE" "$WORK/double.env"
  # examples/fastapi-admin-telegram-bot, with the bot pointed at the double
  cat >"$WORK/adminbot.env" <<EOF
ENVIRONMENT=production
DATABASE_URL=postgresql://recruitsmart:$password@$P-postgres:5432/recruitsmart
REDIS_URL=$(redis_url 4)
NOTIFICATION_BROKER=redis
DATA_DIR=/var/lib/recruitsmart_admin
SESSION_SECRET=$(secret 48)
ADMIN_USER=admin
ADMIN_PASSWORD=$admin_password
BOT_ENABLED=1
BOT_INTEGRATION_ENABLED=1
BOT_AUTOSTART=0
TZ=Europe/Moscow
LOG_LEVEL=INFO
LOG_JSON=1
SESSION_COOKIE_SECURE=1
SESSION_COOKIE_SAMESITE=strict
TELEGRAM_API_BASE_URL=http://$P-tg:8081
TELEGRAM_BOT_TOKEN=$token
BOT_POLL_TIMEOUT=5
EOF
  cat >"$WORK/client.env" <<EOF
ADMIN_PASSWORD=$admin_password
BOT_TOKEN=$token
EOF
  local image="$ADMINBOT:1.0.0" data=(-v "$P-abdata:/var/lib/recruitsmart_admin")
  local web_cmd=(gunicorn backend.apps.admin_api.main:app --worker-class uvicorn.workers.UvicornWorker --bind 0.0.0.0:8000 --workers 4 --timeout 120)
  local bot_cmd=(python3 bot.py)
  local out
  out="$(oneshot "$image" "$WORK/adminbot.env" -e NOTIFICATION_BROKER=memory -e DATABASE_URL=sqlite:////tmp/x.db \
    -e SESSION_SECRET=short -e DATA_DIR=/app/data -- python3 scripts/run_migrations.py --check 2>&1)"
  if [[ $? == 2 && "$out" == *"PRODUCTION CONFIGURATION ERRORS"* && "$out" == *"SQLite database is forbidden"* &&
    "$out" == *"NOTIFICATION_BROKER must be redis"* && "$out" == *"SESSION_SECRET must be at least 32"* &&
    "$out" == *"DATA_DIR is inside the application tree"* && "$out" != *Traceback* ]]; then
    ok "production refuses SQLite, a memory broker, a short SESSION_SECRET and DATA_DIR in /app (exit 2, one line each)"
  else
    bad "production checklist: $out"
  fi
  check_rc 1 "run_migrations.py --check exits 1 on an empty database" oneshot "$image" "$WORK/adminbot.env" -- python3 scripts/run_migrations.py --check
  check "the example's migration step (python3 scripts/run_migrations.py)" oneshot "$image" "$WORK/adminbot.env" -- python3 scripts/run_migrations.py
  check "run_migrations.py --check exits 0 after it" oneshot "$image" "$WORK/adminbot.env" -- python3 scripts/run_migrations.py --check

  check "the Telegram Bot API double is healthy" wait_healthy 60 tg
  start ab-web "$image" "$WORK/adminbot.env" "${data[@]}" -- "${web_cmd[@]}"
  start ab-bot "$image" "$WORK/adminbot.env" "${data[@]}" -- "${bot_cmd[@]}"
  check "admin web and bot are healthy (the image's exec-form HEALTHCHECK)" wait_healthy 120 ab-web ab-bot
  check "exec-form healthcheck: python3 /app/healthcheck.py bot" docker exec "$P-ab-bot" python3 /app/healthcheck.py bot
  check "exec-form healthcheck: python3 /app/healthcheck.py web" docker exec "$P-ab-web" python3 /app/healthcheck.py web
  check "the bot announced itself (BOOT: using bot id=..., username=@...)" bash -c "docker logs $P-ab-bot 2>&1 | grep -q 'BOOT: using bot id='"
  check "the bot's log does not contain its token" bash -c "! docker logs $P-ab-bot 2>&1 | grep -qF '${token#*:}'"

  py "admin and bot" <<'EOF'
import os
from client import *
A, TG, T = "http://apps-test-ab-web:8000", "http://apps-test-tg:8081", os.environ["BOT_TOKEN"]
AUTH = basic("admin", os.environ["ADMIN_PASSWORD"])
status, body = get_json("GET", A + "/health")
comps = body.get("components", {})
result(status == 200 and body.get("status") == "healthy" and set(comps) == {"application", "database", "redis"}
       and comps["application"]["status"] == "up" and isinstance(comps["database"].get("latency_ms"), float)
       and isinstance(comps["redis"].get("latency_ms"), float) and isinstance(body.get("response_time_ms"), float)
       and body.get("timestamp"), "GET /health 200 in the seed 004 shape (components with latency_ms, response_time_ms)", body)
status, body = get_json("GET", A + "/")
result(status == 200 and body.get("ok") is True and body.get("health") == "/health", "GET / lists the entry points", body)
status, _ = get_json("GET", A + "/api/messages")
result(status == 401, "the admin API needs credentials (401)", status)
status, body = get_json("GET", f"{TG}/bot123:{'x' * 35}/getMe")
result(status == 401, "double: an unknown token is 401 Unauthorized", body)
status, body = get_json("POST", f"{TG}/test/bot{T}/updates", {"chat_id": 1001, "text": "/start", "first_name": "Alice", "username": "alice"})
result(status == 200 and body.get("ok"), "a user's /start is queued at the Telegram double", body)
get_json("POST", f"{TG}/test/bot{T}/updates", {"chat_id": 1001, "text": "Hello from Alice", "first_name": "Alice", "username": "alice"})
def inbound():
    messages = get_json("GET", A + "/api/messages?direction=in", headers=AUTH)[1].get("messages", [])
    return [m for m in messages if m["text"] == "Hello from Alice"]
result(wait_for(inbound, 30), "the bot long-polled it and stored it: the admin lists the message (GET /api/messages)")
def heard():
    events = get_json("GET", A + "/api/notifications", headers=AUTH)[1].get("notifications", [])
    return [e for e in events if e.get("type") == "message.received" and e.get("text") == "Hello from Alice"]
# four gunicorn workers each subscribe; asking several times reaches several of them, every one heard it
result(all(wait_for(heard, 15) for _ in range(6)), "every admin worker heard message.received on Redis pub/sub (GET /api/notifications)")
status, body = get_json("GET", A + "/api/candidates", headers=AUTH)
result(status == 200 and [c["username"] for c in body.get("candidates", [])] == ["alice"], "the candidate is registered", body)
def replies():
    return [m["text"] for m in get_json("GET", f"{TG}/test/bot{T}/sent?chat_id=1001")[1].get("result", [])]
result(wait_for(lambda: any(t.startswith("Welcome, Alice") for t in replies()), 15), "the bot answered /start with sendMessage", replies())
status, body = get_json("POST", A + "/api/broadcast", {"text": "Interview slots are open"}, AUTH)
result(status == 202 and body.get("listeners") == 1, "POST /api/broadcast: 202, the bot is listening on the broker", body)
bid = body.get("id")
result(wait_for(lambda: "Interview slots are open" in replies(), 20), "the broadcast reached the bot, which called sendMessage", replies())
result(wait_for(lambda: get_json("GET", f"{A}/api/broadcasts/{bid}", headers=AUTH)[1].get("status") == "sent", 15),
       "the broadcast is marked sent with its recipients", get_json("GET", f"{A}/api/broadcasts/{bid}", headers=AUTH)[1])
result(wait_for(lambda: any(e.get("type") == "broadcast.sent" for e in get_json("GET", A + "/api/notifications", headers=AUTH)[1].get("notifications", [])), 10),
       "the bot's broadcast.sent reached the admin")
status, body = get_json("POST", A + "/api/exports/messages", headers=AUTH)
result(status == 201 and body.get("rows") == 4 and body.get("file", "").startswith("exports/"), "POST /api/exports/messages writes a CSV into DATA_DIR", body)
print("EXPORT " + body.get("file", ""))
status, headers, _ = http("POST", A + "/api/login", {"username": "admin", "password": os.environ["ADMIN_PASSWORD"]})
cookie = headers.get("Set-Cookie", "").lower()
result(status == 200 and "secure" in cookie and "httponly" in cookie and "samesite=strict" in cookie, "login sets a Secure, HttpOnly, SameSite=strict session cookie", cookie)
status, _ = get_json("POST", A + "/api/login", {"username": "admin", "password": "admin"})
result(status == 401, "a wrong admin password is refused", status)
done()
EOF
  check "the export is on the data volume, outside the code" docker exec "$P-ab-web" sh -c 'ls /var/lib/recruitsmart_admin/exports/messages-*.csv'
  check "admin, bot and the double wrote nothing outside /tmp and DATA_DIR" writes_nothing ab-web ab-bot tg
  check "no warning, error or traceback in the logs of admin, bot and the double" logs_clean ab-web ab-bot tg

  local counts_before
  counts_before="$(psql_value recruitsmart 'SELECT (SELECT count(*) FROM candidates), (SELECT count(*) FROM messages), (SELECT count(*) FROM broadcasts)')"
  image="$ADMINBOT:1.1.0"
  check_rc 1 "1.1.0: run_migrations.py --check sees revision 0002 pending" oneshot "$image" "$WORK/adminbot.env" -- python3 scripts/run_migrations.py --check
  check "1.1.0: python3 scripts/run_migrations.py applies it" oneshot "$image" "$WORK/adminbot.env" -- python3 scripts/run_migrations.py
  check "1.1.0: run_migrations.py --check exits 0" oneshot "$image" "$WORK/adminbot.env" -- python3 scripts/run_migrations.py --check
  if [[ "$counts_before" == "1|4|1" && "$(psql_value recruitsmart 'SELECT (SELECT count(*) FROM candidates), (SELECT count(*) FROM messages), (SELECT count(*) FROM broadcasts)')" == "$counts_before" ]]; then
    ok "1.1.0: every row kept (candidates|messages|broadcasts $counts_before)"
  else
    bad "1.1.0: rows before $counts_before, after $(psql_value recruitsmart 'SELECT (SELECT count(*) FROM candidates), (SELECT count(*) FROM messages), (SELECT count(*) FROM broadcasts)')"
  fi
  check "1.1.0: candidates.city exists and is nullable" bash -c "[ \"\$(docker exec $P-postgres psql -qtAX -U postgres -d recruitsmart -c \"SELECT is_nullable FROM information_schema.columns WHERE table_name='candidates' AND column_name='city'\")\" = YES ]"
  replace ab-web "$image" "$WORK/adminbot.env" "${data[@]}" -- "${web_cmd[@]}"
  replace ab-bot "$image" "$WORK/adminbot.env" "${data[@]}" -- "${bot_cmd[@]}"
  check "1.1.0: admin web and bot are healthy" wait_healthy 120 ab-web ab-bot
  py "admin and bot 1.1.0" <<'EOF'
import os
from client import *
A, TG, T = "http://apps-test-ab-web:8000", "http://apps-test-tg:8081", os.environ["BOT_TOKEN"]
AUTH = basic("admin", os.environ["ADMIN_PASSWORD"])
result(get_json("GET", A + "/api/version")[1].get("version") == "1.1.0", "1.1.0: the admin reports 1.1.0")
status, body = get_json("GET", A + "/api/candidates", headers=AUTH)
result(status == 200 and body["candidates"] and body["candidates"][0].get("city", "missing") is None, "1.1.0: the candidate of 1.0.0 is there, city null", body)
get_json("POST", f"{TG}/test/bot{T}/updates", {"chat_id": 1002, "text": "Hi, I am Bob", "first_name": "Bob", "username": "bob"})
def inbound():
    return [m for m in get_json("GET", A + "/api/messages?direction=in", headers=AUTH)[1].get("messages", []) if m["text"] == "Hi, I am Bob"]
result(wait_for(inbound, 30), "1.1.0: a new message still flows from Telegram through the bot to the admin")
status, body = get_json("GET", A + "/api/messages?limit=500", headers=AUTH)
result(len(body.get("messages", [])) == 5, "1.1.0: the messages of 1.0.0 are all still there", len(body.get("messages", [])))
done()
EOF
  check "1.1.0: no warning, error or traceback in the logs of admin and bot" logs_clean ab-web ab-bot

  docker pause "$P-redis" >/dev/null
  py "admin without redis" <<'EOF'
from client import *
status, body = get_json("GET", "http://apps-test-ab-web:8000/health")
c = body.get("components", {})
result(status == 503 and body.get("status") == "unhealthy" and c.get("redis", {}).get("status") == "down" and c.get("database", {}).get("status") == "up",
       "/health is 503 with redis down while Redis is away", body)
done()
EOF
  docker unpause "$P-redis" >/dev/null
  docker pause "$P-postgres" >/dev/null
  py "admin without postgres" <<'EOF'
from client import *
status, body = get_json("GET", "http://apps-test-ab-web:8000/health")
result(status == 503 and body.get("components", {}).get("database", {}).get("status") == "down", "/health is 503 with database down while PostgreSQL is away", body)
done()
EOF
  docker unpause "$P-postgres" >/dev/null
  py "admin recovered" <<'EOF'
from client import *
result(wait_for(lambda: get_json("GET", "http://apps-test-ab-web:8000/health")[0] == 200, 30), "/health is 200 again once both are back")
done()
EOF
  check "admin, bot and the double stop cleanly on SIGTERM (exit 0)" stops_cleanly ab-web ab-bot tg
}

for section in "${SECTIONS[@]}"; do
  case "$section" in
    django) verify_django ;;
    fastapi) verify_fastapi ;;
    adminbot) verify_adminbot ;;
    *) bad "unknown section '$section' (django, fastapi, adminbot)" ;;
  esac
done

printf '\n%d passed, %d failed\n' "$passed" "$failed"
((failed == 0))
