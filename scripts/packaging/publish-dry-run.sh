#!/usr/bin/env bash
# Packs every package and checks each tarball as npm would publish it (publish-check.mjs, which ends with
# `npm publish --dry-run`). Needs a build first (pnpm build).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
dir="$(mktemp -d /tmp/lty-publish-XXXXXX)"
trap 'rm -rf "$dir"' EXIT
# shellcheck disable=SC2046
node "$ROOT/scripts/packaging/publish-check.mjs" $(bash "$ROOT/scripts/packaging/pack.sh" "$dir")
