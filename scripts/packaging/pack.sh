#!/usr/bin/env bash
# Packs every package as it would be published (pnpm pack: workspace:* made real versions, publishConfig applied)
# into DIR, and prints the tarballs' paths. Needs a build first (pnpm build).
# Usage: scripts/packaging/pack.sh DIR
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export PATH="$HOME/.local/bin:$PATH"
out="$(mkdir -p "$1" && cd "$1" && pwd)"
for pkg in "$ROOT"/packages/*/; do
  (cd "$pkg" && pnpm pack --pack-destination "$out" >/dev/null)
done
ls "$out"/*.tgz
