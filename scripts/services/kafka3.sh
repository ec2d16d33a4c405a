# Optional: a 3-node Apache Kafka KRaft cluster for leader-failover tests, not part of the default set.
#   bash scripts/services/services.sh up kafka3            start (or complete) the cluster, wait for all 3 nodes
#   bash scripts/services/services.sh kill-node kafka3 2   SIGKILL one node
#   bash scripts/services/services.sh start-node kafka3 2  start it again; returns once it answers and is back
#   bash scripts/services/services.sh down kafka3          stop all three (SIGTERM together, 30 s grace)
# Node N (1..3) is broker and controller: client port 19092/19192/19292, controller port 19093/19193/19293, data
# $STATE/data/kafka3/nodeN, config $STATE/conf/kafka3-N.properties, pid $RUN/kafka3-N.pid, log $LOGS/kafka3-N.log.
# Replication factor 3 and min.insync.replicas 2 everywhere (offsets and transaction topics included), so acks=all
# writes keep working while one node is down. Same Kafka version and jars as kafka.sh (LTY_KAFKA_VERSION).
#
# is_running semantics: "kafka3 is running" means all three node JVMs are alive. $RUN/kafka3.pid holds node 1's
# pid while all three are alive and is removed as soon as one is not (kafka3_sync_pidfile, run on every start,
# kill and readiness check). So `status kafka3` says "down" while a node is down (its kafka3-N.pid files say
# which ones run), and `up kafka3` then starts just the missing nodes. $LOGS/kafka3.log lists the node logs.
# External cluster: KAFKA3_BROKERS (comma separated); then nothing is started, stopped or killed here.

if ! declare -F kafka_install >/dev/null; then source "$HERE/kafka.sh"; fi

KAFKA3_NODES=(1 2 3)
KAFKA3_VOTERS="1@127.0.0.1:19093,2@127.0.0.1:19193,3@127.0.0.1:19293"

kafka3_port() { echo $((19092 + ($1 - 1) * 100)); }
kafka3_controller_port() { echo $((19093 + ($1 - 1) * 100)); }
kafka3_dir() { echo "$STATE/data/kafka3/node$1"; }
kafka3_props() { echo "$STATE/conf/kafka3-$1.properties"; }

kafka3_check_node_arg() {
  case "${1:-}" in
    1 | 2 | 3) ;;
    *)
      echo "kafka3: node must be 1, 2 or 3 (got '${1:-}')" >&2
      return 1
      ;;
  esac
  if is_external kafka3; then
    echo "kafka3: external cluster (\$KAFKA3_BROKERS), its nodes are not ours to kill or start" >&2
    return 1
  fi
}

# Rewrites $RUN/kafka3.pid (node 1's pid while all nodes are alive, else no file) and the pointer log.
kafka3_sync_pidfile() {
  local n all=1
  for n in "${KAFKA3_NODES[@]}"; do is_running "kafka3-$n" || all=0; done
  if [ "$all" = 1 ]; then cat "$RUN/kafka3-1.pid" >"$RUN/kafka3.pid"; else rm -f "$RUN/kafka3.pid"; fi
  {
    echo "kafka3 runs three JVMs; the node logs are:"
    for n in "${KAFKA3_NODES[@]}"; do
      if is_running "kafka3-$n"; then echo "  $LOGS/kafka3-$n.log (node $n, pid $(cat "$RUN/kafka3-$n.pid"))"; else
        echo "  $LOGS/kafka3-$n.log (node $n, not running)"
        # A node that died: its first error lines say why (the tail of a stack trace rarely does).
        grep -m 2 -E 'ERROR|Exception' "$LOGS/kafka3-$n.log" 2>/dev/null | cut -c 1-400 | sed 's/^/      /' || true
      fi
    done
  } >"$LOGS/kafka3.log"
}

# kafka3_prepare NODE... : writes the configs and formats the named nodes' data dirs that are not formatted yet,
# all with the cluster id of an already formatted node, else a new one.
kafka3_prepare() {
  local n dir cid="" pids=() failed=0
  for n in "${KAFKA3_NODES[@]}"; do
    dir="$(kafka3_dir "$n")"
    kafka_check_version "kafka3-$n" "$dir" || return 1
    kafka_write_props "$(kafka3_props "$n")" "$n" "$(kafka3_port "$n")" "$(kafka3_controller_port "$n")" \
      "$KAFKA3_VOTERS" "$dir" 3 2
    if [ -z "$cid" ] && [ -f "$dir/meta.properties" ]; then
      cid="$(sed -n 's/^cluster\.id=//p' "$dir/meta.properties")"
    fi
  done
  for n in "$@"; do
    [ -f "$(kafka3_dir "$n")/meta.properties" ] && continue
    if [ -z "$cid" ]; then
      cid="$(kafka_random_uuid)"
      [ -n "$cid" ] || { echo "kafka3: StorageTool random-uuid gave nothing" >&2; return 1; }
    fi
    kafka_format "kafka3-$n" "$(kafka3_dir "$n")" "$(kafka3_props "$n")" "$cid" &
    pids+=($!)
  done
  for n in "${pids[@]}"; do wait "$n" || failed=1; done
  return $failed
}

# kafka3_wait_node N TIMEOUT : until node N has logged its ready line and the whole cluster answers.
kafka3_wait_node() {
  local n="$1" timeout="$2" start
  start=$(date +%s)
  while true; do
    if kafka_log_ready "kafka3-$n" && probe kafka3 >/dev/null 2>&1; then
      echo "kafka3-$n: back in the cluster after $(($(date +%s) - start))s"
      return 0
    fi
    if ! is_running "kafka3-$n"; then
      echo "kafka3-$n: FAILED to start: the process exited. Log: $LOGS/kafka3-$n.log" >&2
      tail -n 20 "$LOGS/kafka3-$n.log" >&2 || true
      return 1
    fi
    if [ $(($(date +%s) - start)) -ge "$timeout" ]; then
      echo "kafka3-$n: FAILED to rejoin within ${timeout}s. Log: $LOGS/kafka3-$n.log" >&2
      tail -n 20 "$LOGS/kafka3-$n.log" >&2 || true
      return 1
    fi
    sleep 0.5
  done
}

# ---- the service interface used by services.sh ----

kafka3_install() { kafka_install; }

# Starts every node that is not running (so it also completes a partly running cluster).
kafka3_start() {
  local n
  kafka3_prepare "${KAFKA3_NODES[@]}" || return 1
  for n in "${KAFKA3_NODES[@]}"; do
    if ! is_running "kafka3-$n"; then kafka_start_node "kafka3-$n" "$(kafka3_props "$n")"; fi
  done
  kafka3_sync_pidfile
}

# All nodes get SIGTERM together (one by one, the last ones would wait for a controller quorum that is gone).
kafka3_stop() {
  local n pids=()
  for n in "${KAFKA3_NODES[@]}"; do
    stop_pid "kafka3-$n" 30 &
    pids+=($!)
  done
  for n in "${pids[@]}"; do wait "$n" || true; done
  kafka3_sync_pidfile
}

kafka3_ready() {
  local n
  if ! is_external kafka3; then
    kafka3_sync_pidfile
    for n in "${KAFKA3_NODES[@]}"; do
      is_running "kafka3-$n" && kafka_log_ready "kafka3-$n" || return 1
    done
  fi
  probe kafka3
}

kafka3_timeout() { echo 120; }
kafka3_address() { echo "${KAFKA3_BROKERS:-127.0.0.1:19092,127.0.0.1:19192,127.0.0.1:19292}"; }

# services.sh kill-node kafka3 N : SIGKILL, no shutdown of any kind (a crash, as failover tests want).
kafka3_kill_node() {
  local n="${1:-}" pid
  kafka3_check_node_arg "$n" || return 1
  if ! is_running "kafka3-$n"; then
    echo "kafka3-$n: not running"
    rm -f "$RUN/kafka3-$n.pid"
    kafka3_sync_pidfile
    return 0
  fi
  pid="$(cat "$RUN/kafka3-$n.pid")"
  kill -KILL "$pid"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  rm -f "$RUN/kafka3-$n.pid"
  kafka3_sync_pidfile
  echo "kafka3-$n: killed (SIGKILL, pid $pid)"
}

# services.sh start-node kafka3 N : starts node N again and returns once it answers and the cluster sees 3 brokers.
kafka3_start_node() {
  local n="${1:-}"
  kafka3_check_node_arg "$n" || return 1
  if is_running "kafka3-$n"; then
    echo "kafka3-$n: already running (pid $(cat "$RUN/kafka3-$n.pid"))"
  else
    kafka3_install || return 1
    kafka3_prepare "$n" || return 1
    kafka_start_node "kafka3-$n" "$(kafka3_props "$n")"
    kafka3_sync_pidfile
  fi
  kafka3_wait_node "$n" "$(kafka3_timeout)"
}
