#!/usr/bin/env bash
# Node's LTS lines (22 and 24; engines says what is tested): on Node VERSION, loads every built package by name (ESM
# and CJS, through its exports map as a user resolves it), runs `lty --help`, the unit tests and, with --examples,
# the examples' end-to-end tests (they need Kafka, Postgres and Cassandra running).
# Needs a build first (pnpm build).   Usage: scripts/node-line-check.sh VERSION [--examples]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
node_bin="$(bash scripts/node-fetch.sh "$1")"
echo "node-line-check: $("$node_bin" --version)"
# vitest and the examples' child processes start `node` from PATH: this one.
export PATH="$(dirname "$node_bin"):$PATH"

for pkg in packages/*/; do
  name="$(node -p "require('./$pkg/package.json').name")"
  has_cjs="$(node -p "JSON.stringify(require('./$pkg/package.json').exports).includes('\"require\"')")"
  # By name from inside the package (Node's self-reference), so through its exports map as a user resolves it.
  (cd "$pkg" && node --input-type=module -e "await import('$name')") ||
    { echo "node-line-check: $name does not load (ESM); built? (pnpm build)" >&2; exit 1; }
  if [ "$has_cjs" = true ]; then
    (cd "$pkg" && node -e "require('$name')") || { echo "node-line-check: $name does not load (CJS)" >&2; exit 1; }
  fi
  echo "node-line-check: $name loads$([ "$has_cjs" = true ] && echo ' (ESM and CJS)')"
done
node packages/cli/dist/main.js --help >/dev/null
echo "node-line-check: lty --help runs"
node node_modules/vitest/vitest.mjs run --project unit
if [ "${2:-}" = --examples ]; then
  node node_modules/vitest/vitest.mjs run --project e2e
fi
