#!/usr/bin/env bash
# The main job: the example services end to end: the order service and the legacy service on Kafka and
# Postgres, then the fitness tracker on Kafka and Cassandra.
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
for s in postgres kafka cassandra; do
  if ! bash scripts/services/services.sh status "$s" >/dev/null 2>&1; then started+=("$s"); fi
done
if [ ${#started[@]} -gt 0 ]; then bash scripts/services/services.sh up "${started[@]}" || exit 1; fi

pnpm --filter order-service demo || exit 1
echo
pnpm --filter fitness-tracker start
