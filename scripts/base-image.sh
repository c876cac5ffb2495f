#!/usr/bin/env bash
# Builds the local Debian base image every other image starts FROM (there is no container registry here).
#
#   webplatform/debian:bookworm  -- debootstrap --variant=minbase rootfs, `docker import`ed.
#
# Idempotent: returns at once when the image exists (set FORCE=1 to re-import, REBUILD_ROOTFS=1 to
# re-run debootstrap too). The rootfs tarball is cached in $WEBPLATFORM_CACHE/images/, so after the
# engine's storage is wiped a re-import takes seconds instead of a fresh debootstrap.
#
# apt inside the image talks to the same Debian package source as this machine: the host's enabled apt
# source files (and the keyrings they name) are copied into the rootfs at build time, together with the
# host's Acquire::Check-Valid-Until / Acquire::Check-Date policy. No host name is written in this repo.
source "$(dirname "$0")/lib.sh"

IMAGE="${BASE_IMAGE:-webplatform/debian:bookworm}"
SUITE=bookworm
# Bump when the recipe below changes in a way that must invalidate the cached rootfs tarball.
RECIPE_VERSION=1

bash "$REPO_ROOT/scripts/docker-engine.sh"

if [[ "${FORCE:-0}" != 1 && "${REBUILD_ROOTFS:-0}" != 1 ]] && docker image inspect "$IMAGE" >/dev/null 2>&1; then
  log "$IMAGE: present, nothing to do"
  exit 0
fi

# --- the host's apt configuration, read at run time -------------------------------------------------
# Enabled source files only: apt itself reads sources.list and sources.list.d/*.list|*.sources.
host_source_files() {
  local f
  [[ -f /etc/apt/sources.list ]] && echo /etc/apt/sources.list
  for f in /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
    [[ -f "$f" ]] && echo "$f"
  done
  return 0
}

# The host's Acquire checks (a frozen snapshot mirror needs Check-Valid-Until=false inside the image too).
host_acquire_policy() {
  apt-config dump 2>/dev/null | grep -E '^Acquire::(Check-Valid-Until|Check-Date) ' || true
}

# The first URI that serves $SUITE, from deb822 stanzas or one-line entries.
host_mirror() {
  local f
  while read -r f; do
    case "$f" in
      *.sources)
        awk -v suite="$SUITE" '
          function flush() {
            if (types ~ /(^| )deb( |$)/ && (" " suites " ") ~ (" " suite " ") && uris != "") { split(uris, u, " "); print u[1]; found = 1; exit }
            types = ""; suites = ""; uris = ""
          }
          /^[[:space:]]*$/ { flush(); next }
          /^[[:space:]]*#/ { next }
          tolower($1) == "types:"  { $1 = ""; types  = $0 }
          tolower($1) == "suites:" { $1 = ""; suites = $0 }
          tolower($1) == "uris:"   { $1 = ""; uris   = $0; sub(/^ +/, "", uris) }
          END { if (!found) flush() }
        ' "$f"
        ;;
      *)
        # deb [options] URI suite components...
        sed -E 's/\[[^]]*\]//' "$f" | awk -v suite="$SUITE" '$1 == "deb" && $3 == suite { print $2; exit }'
        ;;
    esac
  done < <(host_source_files) | head -n1
}

# Keyrings named by Signed-By, so third-party sources copied into the image still verify.
host_keyrings() {
  host_source_files | xargs -r cat | grep -oE '(signed-by|Signed-By:)[= ]*/[^] ,]+' | sed -E 's/^[^/]*//' | sort -u
}

# --- cache key: recipe + everything host-derived that ends up inside the rootfs --------------------
SOURCES_FINGERPRINT="$(
  {
    echo "recipe=$RECIPE_VERSION suite=$SUITE arch=$(dpkg --print-architecture)"
    host_source_files | while read -r f; do echo "== $f"; cat "$f"; done
    host_acquire_policy
  } | sha256sum | cut -c1-16
)"
CACHE_DIR="$WEBPLATFORM_CACHE/images"
TARBALL="$CACHE_DIR/debian-$SUITE-minbase-$SOURCES_FINGERPRINT.tar"
mkdir -p "$CACHE_DIR"

build_rootfs() {
  if ! command -v debootstrap >/dev/null 2>&1; then
    log "installing debootstrap from Debian packages"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
  fi
  local mirror
  mirror="$(host_mirror)"
  if [[ -z "$mirror" ]]; then
    log "no apt source serving '$SUITE' found in the host's apt configuration"
    exit 1
  fi

  local work="$CACHE_DIR/rootfs.$$"
  rm -rf "$work"
  mkdir -p "$work"
  # shellcheck disable=SC2064
  trap "rm -rf '$work' '$TARBALL.tmp'" EXIT
  local rootfs="$work/rootfs"

  log "debootstrap --variant=minbase $SUITE (mirror from the host's apt sources); log: $CACHE_DIR/debootstrap.log"
  if ! debootstrap --variant=minbase --arch="$(dpkg --print-architecture)" "$SUITE" "$rootfs" "$mirror" \
      >"$CACHE_DIR/debootstrap.log" 2>&1; then
    log "debootstrap failed; last lines of its log:"
    tail -20 "$CACHE_DIR/debootstrap.log" >&2
    exit 1
  fi

  log "configuring the rootfs for containers"
  # apt: the host's sources and acquire policy instead of debootstrap's one-line sources.list.
  rm -f "$rootfs/etc/apt/sources.list"
  mkdir -p "$rootfs/etc/apt/sources.list.d"
  local f
  while read -r f; do
    cp "$f" "$rootfs$f"
  done < <(host_source_files)
  while read -r f; do
    if [[ -f "$f" && ! -e "$rootfs$f" ]]; then
      mkdir -p "$(dirname "$rootfs$f")"
      cp "$f" "$rootfs$f"
    fi
  done < <(host_keyrings)
  host_acquire_policy >"$rootfs/etc/apt/apt.conf.d/90webplatform-host-acquire"

  # The usual container tweaks (as in the official debian images).
  cat >"$rootfs/etc/apt/apt.conf.d/docker-clean" <<'EOF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
EOF
  cat >"$rootfs/etc/apt/apt.conf.d/docker-no-languages" <<'EOF'
Acquire::Languages "none";
EOF
  cat >"$rootfs/etc/apt/apt.conf.d/docker-gzip-indexes" <<'EOF'
Acquire::GzipIndexes "true";
Acquire::CompressionTypes::Order:: "gz";
EOF
  cat >"$rootfs/etc/apt/apt.conf.d/docker-autoremove-suggests" <<'EOF'
Apt::AutoRemove::SuggestsImportant "false";
EOF
  # Keep documentation out of every image built on top (like debian:*-slim).
  mkdir -p "$rootfs/etc/dpkg/dpkg.cfg.d"
  cat >"$rootfs/etc/dpkg/dpkg.cfg.d/docker-slim" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/locale/*
EOF
  find "$rootfs/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete 2>/dev/null || true
  find "$rootfs/usr/share/doc" -mindepth 1 -type d -empty -delete 2>/dev/null || true
  rm -rf "$rootfs"/usr/share/{man,groff,info,lintian,linda,locale}/* 2>/dev/null || true
  # Package maintainer scripts must not try to start services while an image is being built.
  printf '#!/bin/sh\nexit 101\n' >"$rootfs/usr/sbin/policy-rc.d"
  chmod 755 "$rootfs/usr/sbin/policy-rc.d"
  # Runtime-managed or build-only state.
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb \
         "$rootfs"/var/cache/debconf/*-old "$rootfs"/var/lib/dpkg/*-old "$rootfs"/var/log/* "$rootfs"/tmp/* \
         "$rootfs"/root/.bash_history 2>/dev/null || true
  : >"$rootfs/etc/hostname"
  rm -f "$rootfs/etc/resolv.conf"
  : >"$rootfs/etc/resolv.conf"

  log "packing the rootfs into $TARBALL"
  # /dev, /proc and /sys are provided by the container runtime.
  tar --numeric-owner --xattrs -C "$rootfs" \
      --exclude='./dev/*' --exclude='./proc/*' --exclude='./sys/*' \
      -cf "$TARBALL.tmp" .
  mv "$TARBALL.tmp" "$TARBALL"
  # Older tarballs (different sources or recipe) are no longer reachable.
  find "$CACHE_DIR" -maxdepth 1 -name "debian-$SUITE-minbase-*.tar" ! -path "$TARBALL" -delete
  rm -rf "$work"
  trap - EXIT
}

if [[ "${REBUILD_ROOTFS:-0}" == 1 || ! -s "$TARBALL" ]]; then
  build_rootfs
else
  log "reusing cached rootfs $TARBALL"
fi

log "docker import -> $IMAGE"
docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'CMD ["bash"]' \
  --change "LABEL org.opencontainers.image.base.name=debian:$SUITE webplatform.rootfs=$SOURCES_FINGERPRINT" \
  "$TARBALL" "$IMAGE" >/dev/null
log "$IMAGE: imported ($(docker image inspect -f '{{.Size}}' "$IMAGE" | awk '{printf "%.0f MB", $1/1e6}'))"
