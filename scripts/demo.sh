#!/usr/bin/env bash
# The main job: the example order service and its legacy handler, end to end on real Kafka and Postgres.
# Installs what is missing, starts the services it needs (or uses KAFKA_BROKERS / POSTGRES_URL), runs the
# scripted scenario, then stops what it started.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$HOME/.local/bin:$PATH"
bash scripts/bootstrap.sh || exit 1
bash scripts/build-if-stale.sh || exit 1

started=()
cleanup() {
  if [ ${#started[@]} -gt 0 ]; then bash scripts/services/services.sh down "${started[@]}" >/dev/null; fi
}
trap cleanup EXIT
for s in postgres kafka; do
  if ! bash scripts/services/services.sh status "$s" >/dev/null 2>&1; then started+=("$s"); fi
done
if [ ${#started[@]} -gt 0 ]; then bash scripts/services/services.sh up "${started[@]}" || exit 1; fi

pnpm --filter order-service demo
