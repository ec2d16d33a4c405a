#!/usr/bin/env bash
# Prints the path of a Node.js binary of VERSION, from npm's official binary package (node-linux-<arch>), cached in
# ~/.cache/listen-to-yourself after the first run.   Usage: scripts/node-fetch.sh VERSION
set -euo pipefail
version="$1"
case "$(uname -m)" in
  x86_64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) echo "node-fetch: no Node package for $(uname -m)" >&2; exit 1 ;;
esac
cache="${LTY_CACHE_DIR:-$HOME/.cache/listen-to-yourself}/node-$version-linux-$arch"
if [ ! -x "$cache/bin/node" ]; then
  tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "node-linux-$arch@$version" >/dev/null && tar xzf ./*.tgz)
  mkdir -p "$(dirname "$cache")"
  rm -rf "$cache"
  mv "$tmp/package" "$cache"
  rm -rf "$tmp"
fi
echo "$cache/bin/node"
