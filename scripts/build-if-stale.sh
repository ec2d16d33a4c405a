#!/usr/bin/env bash
# Builds the packages when a dist is missing or older than its sources, so examples run against built packages
# exactly as users get them, without paying for a build when nothing changed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
for pkg in packages/*/; do
  [ -f "$pkg/package.json" ] || continue
  grep -q "\"build\"" "$pkg/package.json" || continue
  [ -f "$pkg/src/index.ts" ] || continue
  out="$pkg/dist/index.js"
  if [ ! -f "$out" ] || [ -n "$(find "$pkg/src" "$pkg/package.json" -newer "$out" -print -quit)" ]; then
    echo "building $(basename "$pkg")"
    (cd "$pkg" && pnpm run build >/dev/null)
  fi
done
