#!/bin/sh
# Build-time check of the static build: every asset is named after its content (name-<first 8 hex of sha256>.ext)
# and index.html references exactly the assets that exist.
set -eu
cd "$1"
status=0
for file in assets/*; do
  base=$(basename "$file")
  want=$(sha256sum "$file" | cut -c1-8)
  case "$base" in
    *-"$want".*) ;;
    *) echo "asset $base is not named after its content (sha256 prefix $want)"; status=1 ;;
  esac
  grep -q "/assets/$base" index.html || { echo "index.html does not reference $base"; status=1; }
done
for ref in $(grep -o '/assets/[^"]*' index.html); do
  [ -f ".$ref" ] || { echo "index.html references missing $ref"; status=1; }
done
exit "$status"
