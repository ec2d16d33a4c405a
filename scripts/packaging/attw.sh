#!/usr/bin/env bash
# Are the Types Wrong on the tarball of every package: each entry's types resolve, and match its JavaScript, under
# node10, node16 (from CJS and from ESM) and bundler resolution. Packages without a CommonJS build are checked with
# attw's esm-only profile (a require() from CJS is not offered). Needs a build first (pnpm build).
# Usage: scripts/packaging/attw.sh [TARBALL...]   (no tarballs: packs every package)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
dir="$(mktemp -d /tmp/lty-attw-XXXXXX)"
trap 'rm -rf "$dir"' EXIT
failed=0
if [ $# -gt 0 ]; then tarballs=("$@"); else mapfile -t tarballs < <(bash scripts/packaging/pack.sh "$dir"); fi
for tarball in "${tarballs[@]}"; do
  profile=strict
  if ! tar xzf "$tarball" -O package/package.json | node -e \
    "const p = JSON.parse(require('fs').readFileSync(0, 'utf8')); process.exit(JSON.stringify(p.exports).includes('\"require\"') ? 0 : 1)"; then
    profile=esm-only
  fi
  if node_modules/.bin/attw --no-color --profile "$profile" "$tarball" >"$dir/attw.log" 2>&1; then
    echo "attw: $(basename "$tarball"): no problems ($profile)"
  else
    cat "$dir/attw.log"
    echo "attw: $(basename "$tarball"): problems above ($profile)" >&2
    failed=1
  fi
done
exit "$failed"
