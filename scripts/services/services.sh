#!/usr/bin/env bash
# Starts, waits on, reports and stops the real services the integration tests use, without Docker.
#   services.sh up [name...]     install (cached) and start; waits until each really answers
#   services.sh down [name...]   stop cleanly (SIGTERM, then SIGKILL after a grace period)
#   services.sh status [name...] one line per service
#   services.sh kill-node|start-node <name> <node>   one node of a multi-node service (kafka3: node 1, 2 or 3)
# OPTIONAL_SERVICES are started only when named (`up kafka3`), never by a bare up/down/status.
# A service whose environment variable is set (KAFKA_BROKERS, KAFKA3_BROKERS, POSTGRES_URL, CASSANDRA_CONTACT_POINTS, MONGO_URL,
# SCHEMA_REGISTRY_URL) is external: it is neither started nor stopped here, only checked.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
STATE="${LTY_STATE_DIR:-$ROOT/.services}"
LOGS="$STATE/logs"
RUN="$STATE/run"
CACHE="${LTY_CACHE_DIR:-$HOME/.cache/listen-to-yourself}"
mkdir -p "$LOGS" "$RUN" "$CACHE" "$STATE/data"

ALL_SERVICES=(postgres kafka registry cassandra ferretdb)
OPTIONAL_SERVICES=(kafka3)

source "$HERE/lib.sh"
for s in "${ALL_SERVICES[@]}" "${OPTIONAL_SERVICES[@]}"; do source "$HERE/$s.sh"; done

cmd="${1:-status}"
shift || true
case "$cmd" in
  kill-node | start-node)
    fn="${1:-}_${cmd//-/_}"
    if [ $# -ne 2 ] || ! declare -F "$fn" >/dev/null; then
      echo "usage: services.sh $cmd kafka3 <1|2|3>" >&2
      exit 2
    fi
    "$fn" "$2"
    exit $?
    ;;
esac
names=("$@")
if [ ${#names[@]} -eq 0 ]; then names=("${ALL_SERVICES[@]}"); fi
for n in "${names[@]}"; do
  if ! printf '%s\n' "${ALL_SERVICES[@]}" "${OPTIONAL_SERVICES[@]}" | grep -qx "$n"; then
    echo "unknown service '$n' (known: ${ALL_SERVICES[*]} ${OPTIONAL_SERVICES[*]})" >&2
    exit 2
  fi
done

# The readiness probes ask each server through its Node driver: without the workspace's dependencies every probe
# fails, and a healthy server would be reported as never answering. These are the drivers probes/*.mjs import.
if [ "$cmd" = up ] || [ "$cmd" = status ]; then
  if ! (cd "$ROOT" && node -e "for (const m of ['pg', 'kafkajs', 'cassandra-driver', 'mongodb']) require.resolve(m)" 2>/dev/null); then
    echo "services.sh: the workspace's dependencies are not installed (the readiness probes need them): run pnpm install in $ROOT first" >&2
    exit 2
  fi
fi

case "$cmd" in
  up)
    # Install everything first (downloads and builds are cached), then start all at once and wait for each:
    # the JVMs start faster side by side than one after another.
    for n in "${names[@]}"; do is_external "$n" || "${n}_install"; done
    for n in "${names[@]}"; do
      if is_external "$n"; then continue; fi
      if "${n}_ready" >/dev/null 2>&1; then
        echo "$n: already running"
      elif is_running "$n"; then
        echo "$n: process up, not answering yet"
      else
        "${n}_start"
      fi
    done
    failed=0
    for n in "${names[@]}"; do
      if is_external "$n"; then
        if "${n}_ready"; then echo "$n: external, answering"; else
          echo "$n: external server from \$$(external_var "$n") does not answer" >&2
          failed=1
        fi
        continue
      fi
      wait_ready "$n" || failed=1
    done
    exit $failed
    ;;
  down)
    # Reverse order: ferretdb before the postgres cluster it stores into.
    for ((i = ${#names[@]} - 1; i >= 0; i--)); do
      n="${names[$i]}"
      if is_external "$n"; then echo "$n: external, left alone"; continue; fi
      "${n}_stop"
    done
    ;;
  status)
    rc=0
    for n in "${names[@]}"; do
      if is_external "$n"; then where="external"; else where="local"; fi
      if "${n}_ready" >/dev/null 2>&1; then
        echo "$n: up ($where, $("${n}_address"))"
      elif is_running "$n"; then
        echo "$n: starting or unhealthy (pid $(cat "$RUN/$n.pid"), log $LOGS/$n.log)"
        rc=1
      else
        echo "$n: down"
        rc=1
      fi
    done
    exit $rc
    ;;
  *)
    echo "usage: services.sh up|down|status [${ALL_SERVICES[*]} ${OPTIONAL_SERVICES[*]}]" >&2
    exit 2
    ;;
esac
