#!/usr/bin/env bash
# The packages claim engines ">=20.19": this runs the unit tests and loads every built package (ESM and CJS) on
# Node 24 too. Node 24 comes from npm's official binary package (node-linux-<arch>), cached after the first run.
# Needs a build first (pnpm build). Set LTY_NODE24_VERSION to test another 24.x.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
version="${LTY_NODE24_VERSION:-24.21.0}"
case "$(uname -m)" in
  x86_64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) echo "node24-check: no Node 24 package for $(uname -m)" >&2; exit 1 ;;
esac
cache="$HOME/.cache/listen-to-yourself/node-$version-linux-$arch"
if [ ! -x "$cache/bin/node" ]; then
  tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "node-linux-$arch@$version" >/dev/null && tar xzf ./*.tgz)
  mkdir -p "$(dirname "$cache")"
  rm -rf "$cache"
  mv "$tmp/package" "$cache"
  rm -rf "$tmp"
fi
node24="$cache/bin/node"
echo "node24-check: $("$node24" --version)"

for pkg in packages/*/; do
  name="$(node -p "require('./$pkg/package.json').name")"
  has_cjs="$(node -p "Boolean(require('./$pkg/package.json').exports['.'].require)")"
  # By name from inside the package (Node's self-reference), so through its exports map as a user resolves it.
  (cd "$pkg" && "$node24" --input-type=module -e "await import('$name')") ||
    { echo "node24-check: $name does not load (ESM) on Node 24; built? (pnpm build)" >&2; exit 1; }
  if [ "$has_cjs" = true ]; then
    (cd "$pkg" && "$node24" -e "require('$name')") ||
      { echo "node24-check: $name does not load (CJS) on Node 24" >&2; exit 1; }
  fi
  echo "node24-check: $name loads$([ "$has_cjs" = true ] && echo ' (ESM and CJS)')"
done
"$node24" packages/cli/dist/main.js --help >/dev/null
echo "node24-check: lty --help runs"
PATH="$(dirname "$node24"):$PATH" "$node24" node_modules/vitest/vitest.mjs run --project unit
