#!/usr/bin/env bash
# Runs every test: unit, integration (against the real services, started here if not already running) and the
# examples' end-to-end tests. Stops only the services it started. Last line: "N passed, N failed".
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$HOME/.local/bin:$PATH"

if [ "${LTY_SKIP_BOOTSTRAP:-}" != 1 ]; then bash scripts/bootstrap.sh || exit 1; fi
# The examples run as child processes import the packages as users do, from their built dist.
bash scripts/build-if-stale.sh || exit 1

started=()
cleanup() {
  if [ ${#started[@]} -gt 0 ]; then bash scripts/services/services.sh down "${started[@]}"; fi
}
trap cleanup EXIT

# Start what is not already answering, and remember it so we stop only that.
for s in postgres kafka registry cassandra ferretdb; do
  if ! bash scripts/services/services.sh status "$s" >/dev/null 2>&1; then started+=("$s"); fi
done
services_failed=0
if [ ${#started[@]} -gt 0 ]; then
  bash scripts/services/services.sh up "${started[@]}" || services_failed=1
fi

out="$ROOT/.vitest-results"
rm -rf "$out"
mkdir -p "$out"
rc=0
# Every vitest project named in vitest.config.ts, in this order when present.
projects=()
for p in unit int e2e reliability; do
  if grep -q "name: '$p'" vitest.config.ts; then projects+=("$p"); fi
done
reports=()
for project in "${projects[@]}"; do
  echo "=== vitest project: $project"
  npx vitest run --project "$project" --passWithNoTests \
    --reporter=default --reporter=json --outputFile.json="$out/$project.json" || rc=1
  reports+=("$project")
  # The examples run on every store with the same code: their end-to-end tests again with STORE set (the run
  # above used the default, postgres). LTY_E2E_STORES=postgres skips these.
  if [ "$project" = e2e ]; then
    for store in ${LTY_E2E_STORES:-cassandra mongo}; do
      [ "$store" = postgres ] && continue
      echo "=== vitest project: e2e on STORE=$store"
      STORE="$store" npx vitest run --project e2e --passWithNoTests \
        --reporter=default --reporter=json --outputFile.json="$out/e2e-$store.json" || rc=1
      reports+=("e2e-$store")
    done
  fi
done

summary="$(node scripts/count-results.mjs "$out" "$services_failed" "${reports[@]}")"
status=$?
# Stop what we started before the summary, so that "N passed, N failed" stays the last line.
trap - EXIT
cleanup
echo "$summary"
if [ $rc -ne 0 ] || [ $status -ne 0 ]; then exit 1; fi
