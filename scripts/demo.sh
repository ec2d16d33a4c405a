#!/usr/bin/env bash
# The main job: the example services end to end: the order service and the legacy service, then the fitness
# tracker and its coach, each on Kafka and the state store STORE names (postgres by default, cassandra, mongo).
# Installs what is missing, starts the services it needs (or uses KAFKA_BROKERS / POSTGRES_URL / ...), runs each
# example's scripted scenario, then stops what it started. Exits 0 only when both behaved as described.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$HOME/.local/bin:$PATH"
bash scripts/bootstrap.sh || exit 1
bash scripts/build-if-stale.sh || exit 1

store="${STORE:-postgres}"
case "$store" in
  postgres) needed=(postgres kafka) ;;
  cassandra) needed=(postgres kafka cassandra) ;;
  # FerretDB keeps its data in a Postgres of its own, which the services script starts with it.
  mongo) needed=(postgres kafka ferretdb) ;;
  *)
    echo "STORE must be postgres, cassandra or mongo; got $store" >&2
    exit 1
    ;;
esac
started=()
cleanup() {
  if [ ${#started[@]} -gt 0 ]; then bash scripts/services/services.sh down "${started[@]}" >/dev/null; fi
}
trap cleanup EXIT
for s in "${needed[@]}"; do
  if ! bash scripts/services/services.sh status "$s" >/dev/null 2>&1; then started+=("$s"); fi
done
if [ ${#started[@]} -gt 0 ]; then bash scripts/services/services.sh up "${started[@]}" || exit 1; fi

# The legacy service keeps its own Postgres table whatever STORE says (it stands for an old system's database).
rc=0
pnpm --filter order-service demo || rc=1
echo
pnpm --filter fitness-tracker demo || rc=1
exit $rc
