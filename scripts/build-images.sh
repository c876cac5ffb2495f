#!/usr/bin/env bash
# Builds the local service images (there is no container registry here), on top of the base image from
# base-image.sh. Usage: build-images.sh [name...]   (names are directories under images/, or a name from
# CONTEXTS below that builds another name's directory with other build arguments; default: all)
#
# Each image carries the label webplatform.context-hash: a hash of its build context (every file's path,
# mode and content, Dockerfile included), of its build arguments and of the base image's id. An image whose
# label matches is left alone, so a warm run does no building. FORCE=1 rebuilds regardless. Prints one line
# per image.
source "$(dirname "$0")/lib.sh"

BASE_IMAGE=webplatform/debian:bookworm
HASH_LABEL=webplatform.context-hash
declare -A TAGS=(
  [postgres]=webplatform/postgres:15
  [redis]=webplatform/redis:7
  [nginx]=webplatform/nginx:1.22
  [sample-app]=webplatform/sample-app:1.0.0
  [sample-app-1.1.0]=webplatform/sample-app:1.1.0
  [django-platform]=webplatform/django-platform:1.0.0
  [django-platform-1.1.0]=webplatform/django-platform:1.1.0
  [django-frontend]=webplatform/django-frontend:1.0.0
  [fastapi-alembic]=webplatform/fastapi-alembic:1.0.0
  [fastapi-alembic-1.1.0]=webplatform/fastapi-alembic:1.1.0
  [fastapi-admin-bot]=webplatform/fastapi-admin-bot:1.0.0
  [fastapi-admin-bot-1.1.0]=webplatform/fastapi-admin-bot:1.1.0
  [telegram-bot-api-double]=webplatform/telegram-bot-api-double:1.0.0
)
# Names built from another name's directory (default: images/<name>), and their --build-arg values.
# sample-app 1.1.0 differs from 1.0.0 only in the version it reports, for testing an app image change; the
# other apps' 1.1.0 also add one additive migration (their release-files.txt), for "an image change re-runs
# migrations and keeps every row".
declare -A CONTEXTS=(
  [sample-app-1.1.0]=sample-app
  [django-platform-1.1.0]=django-platform
  [fastapi-alembic-1.1.0]=fastapi-alembic
  [fastapi-admin-bot-1.1.0]=fastapi-admin-bot
)
declare -A BUILD_ARGS=(
  [sample-app]="APP_VERSION=1.0.0"
  [sample-app-1.1.0]="APP_VERSION=1.1.0"
  [django-platform]="APP_VERSION=1.0.0"
  [django-platform-1.1.0]="APP_VERSION=1.1.0"
  [django-frontend]="APP_VERSION=1.0.0"
  [fastapi-alembic]="APP_VERSION=1.0.0"
  [fastapi-alembic-1.1.0]="APP_VERSION=1.1.0"
  [fastapi-admin-bot]="APP_VERSION=1.0.0"
  [fastapi-admin-bot-1.1.0]="APP_VERSION=1.1.0"
  [telegram-bot-api-double]="APP_VERSION=1.0.0"
)
# Images built FROM another local image rather than the base: that image's id is part of their context hash, so
# they are rebuilt when it changes (it is built earlier in ORDER).
declare -A PARENTS=(
  [django-frontend]=webplatform/nginx:1.22
)
ORDER=(postgres redis nginx sample-app sample-app-1.1.0
  django-platform django-platform-1.1.0 django-frontend fastapi-alembic fastapi-alembic-1.1.0
  fastapi-admin-bot fastapi-admin-bot-1.1.0 telegram-bot-api-double)

if (($#)); then
  names=("$@")
else
  names=("${ORDER[@]}")
fi
for name in "${names[@]}"; do
  if [[ -z "${TAGS[$name]:-}" || ! -f "$REPO_ROOT/images/${CONTEXTS[$name]:-$name}/Dockerfile" ]]; then
    log "unknown image '$name' (known: ${ORDER[*]})"
    exit 2
  fi
done

bash "$REPO_ROOT/scripts/base-image.sh"
base_id="$(docker image inspect -f '{{.Id}}' "$BASE_IMAGE")"

# path, permission bits and content of every file in the context, plus the base image id and build args
context_hash() {
  local dir="$1" args="${2:-}"
  {
    echo "base=$base_id"
    if [[ -n "$args" ]]; then
      echo "args=$args"
    fi
    (cd "$dir" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r stat -c '%n %a' )
    (cd "$dir" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum)
  } | sha256sum | cut -c1-16
}

mkdir -p "$WEBPLATFORM_CACHE/logs"
status=0
for name in "${names[@]}"; do
  tag="${TAGS[$name]}"
  dir="$REPO_ROOT/images/${CONTEXTS[$name]:-$name}"
  hash_args="${BUILD_ARGS[$name]:-}"
  if [[ -n "${PARENTS[$name]:-}" ]]; then
    parent_id="$(docker image inspect -f '{{.Id}}' "${PARENTS[$name]}" 2>/dev/null || true)"
    if [[ -z "$parent_id" ]]; then
      printf '%-40s FAILED: its parent image %s does not exist (build it first)\n' "$tag" "${PARENTS[$name]}"
      status=1
      continue
    fi
    hash_args="$hash_args parent=$parent_id"
  fi
  want="$(context_hash "$dir" "$hash_args")"
  build_args=()
  for arg in ${BUILD_ARGS[$name]:-}; do
    build_args+=(--build-arg "$arg")
  done
  old_id="$(docker image inspect -f '{{.Id}}' "$tag" 2>/dev/null || true)"
  have=""
  if [[ -n "$old_id" ]]; then
    have="$(docker image inspect -f "{{ index .Config.Labels \"$HASH_LABEL\" }}" "$tag" 2>/dev/null || true)"
  fi
  if [[ "${FORCE:-0}" != 1 && "$have" == "$want" ]]; then
    printf '%-40s up to date (context %s)\n' "$tag" "$want"
    continue
  fi

  build_log="$WEBPLATFORM_CACHE/logs/build-$name.log"
  started=$SECONDS
  if docker build "${build_args[@]}" --label "$HASH_LABEL=$want" -t "$tag" "$dir" >"$build_log" 2>&1; then
    new_id="$(docker image inspect -f '{{.Id}}' "$tag")"
    # drop the image this one replaces, unless something (a container, another tag) still uses it
    if [[ -n "$old_id" && "$old_id" != "$new_id" ]]; then
      docker image rm "$old_id" >/dev/null 2>&1 || true
    fi
    size="$(docker image inspect -f '{{.Size}}' "$tag" | awk '{printf "%.0f MB", $1/1e6}')"
    printf '%-40s built in %ss (context %s, %s)\n' "$tag" "$((SECONDS - started))" "$want" "$size"
  else
    printf '%-40s FAILED after %ss; last lines of %s:\n' "$tag" "$((SECONDS - started))" "$build_log"
    tail -20 "$build_log" | sed 's/^/    /'
    status=1
  fi
done
exit "$status"
