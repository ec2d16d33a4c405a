#!/usr/bin/env bash
# One private PostgreSQL cluster, run by the services' own functions in a state dir of its own (for tests).
# Usage: pg-cluster.sh STATE_DIR start|stop|paths NAME [PORT]
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
STATE="$1"
LOGS="$STATE/logs"
RUN="$STATE/run"
mkdir -p "$LOGS" "$RUN" "$STATE/data"
source "$HERE/lib.sh"
source "$HERE/postgres.sh"
case "$2" in
  start) pg_cluster_start "$3" "$4" ;;
  stop) pg_cluster_stop "$3" ;;
  paths) pg_paths "$3" ;;
  *) echo "usage: pg-cluster.sh STATE_DIR start|stop|paths NAME [PORT]" >&2; exit 2 ;;
esac
