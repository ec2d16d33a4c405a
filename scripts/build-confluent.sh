#!/usr/bin/env bash
# Builds @confluentinc/kafka-javascript (librdkafka) once into a cache directory, for the tests of
# packages/transport-confluent. It is an optional peer dependency, not a workspace dependency: here its prebuilt
# binary cannot be downloaded and a plain --build-from-source fetches zlib/openssl sources, so the only build that
# works links the system libssl and zlib (CKJS_LINKING=dynamic; needs build-essential, python3, libssl-dev,
# zlib1g-dev). That takes minutes, so `pnpm install` never does it; this script does, and does it once.
#
# Idempotent: a finished build (marked by .complete) is reused. Concurrent runs wait for each other (flock).
# Prints the node_modules directory the package's tests load the client from (see transport-confluent's README).
#   CKJS_VERSION         version to build            (default 1.10.1, the one the tests pin)
#   LTY_CONFLUENT_CACHE  where builds live           (default ~/.cache/listen-to-yourself)
set -euo pipefail
VERSION="${CKJS_VERSION:-1.10.1}"
CACHE_ROOT="${LTY_CONFLUENT_CACHE:-$HOME/.cache/listen-to-yourself}"
DIR="$CACHE_ROOT/confluent-$VERSION"
MODULE="$DIR/node_modules/@confluentinc/kafka-javascript"

built() {
  [ -f "$DIR/.complete" ] && [ -d "$MODULE" ]
}

if built; then
  echo "$DIR/node_modules"
  exit 0
fi

mkdir -p "$CACHE_ROOT"
exec 9>"$CACHE_ROOT/confluent-$VERSION.lock"
flock 9
if built; then
  echo "$DIR/node_modules"
  exit 0
fi

for tool in g++ make python3; do
  command -v "$tool" >/dev/null || {
    echo "build-confluent: $tool is missing (apt-get install build-essential python3)" >&2
    exit 1
  }
done

# Build beside the final place and move it in at the end, so an interrupted build never looks finished.
TMP="$DIR.tmp-$$"
rm -rf "$TMP"
mkdir -p "$TMP"
trap 'rm -rf "$TMP"' EXIT
echo '{ "name": "lty-confluent-build", "private": true }' >"$TMP/package.json"
start=$(date +%s)
echo "build-confluent: building @confluentinc/kafka-javascript@$VERSION from source (minutes)..." >&2
(
  cd "$TMP"
  CKJS_LINKING=dynamic npm install "@confluentinc/kafka-javascript@$VERSION" --build-from-source \
    --no-audit --no-fund --loglevel=error >&2
)
# The native addon must load, or the build is useless.
(cd "$TMP" && node -e "require('@confluentinc/kafka-javascript').KafkaJS.Kafka" >&2)
date -u +%FT%TZ >"$TMP/.complete"
rm -rf "$DIR"
mv "$TMP" "$DIR"
trap - EXIT
echo "build-confluent: done in $(($(date +%s) - start)) s" >&2
echo "$DIR/node_modules"
