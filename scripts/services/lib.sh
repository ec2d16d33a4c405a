# Helpers shared by the service scripts. Sourced by services.sh, which sets ROOT, STATE, LOGS, RUN and CACHE.

# The environment variable that names an external server for a service.
external_var() {
  case "$1" in
    kafka) echo KAFKA_BROKERS ;;
    kafka3) echo KAFKA3_BROKERS ;;
    postgres) echo POSTGRES_URL ;;
    cassandra) echo CASSANDRA_CONTACT_POINTS ;;
    ferretdb) echo MONGO_URL ;;
    registry) echo SCHEMA_REGISTRY_URL ;;
  esac
}

is_external() {
  local var
  var="$(external_var "$1")"
  [ -n "${!var:-}" ]
}

# True when the pid file names a live process that is ours. After a reboot or a crash the pid in a stale file may
# belong to another process by now: one that started after the file was written is not ours, so it is neither
# taken for a running service nor ever signalled. Each writer of a pid file writes it once the process runs.
is_running() {
  local pidfile="$RUN/$1.pid" pid age written
  [ -f "$pidfile" ] || return 1
  pid="$(cat "$pidfile")"
  kill -0 "$pid" 2>/dev/null || return 1
  age="$(ps -o etimes= -p "$pid" 2>/dev/null | tr -d ' ')"
  written="$(stat -c %Y "$pidfile" 2>/dev/null)"
  # Without procps' etimes or GNU stat there is nothing to compare: the live pid is trusted, as it always was.
  [ -n "$age" ] && [ -n "$written" ] || return 0
  # Seconds are the resolution of both clocks; 2 s of slack keeps our own process from looking newer.
  [ $(($(date +%s) - age)) -le $((written + 2)) ]
}

# start_bg NAME CMD... : runs CMD detached in its own session, output to $LOGS/NAME.log, pid to $RUN/NAME.pid.
start_bg() {
  local name="$1"
  shift
  : >"$LOGS/$name.log"
  setsid nohup "$@" >>"$LOGS/$name.log" 2>&1 </dev/null &
  echo $! >"$RUN/$name.pid"
  echo "$name: started (pid $!, log $LOGS/$name.log)"
}

# stop_pid NAME [GRACE_SECONDS] : SIGTERM, wait, then SIGKILL; removes the pid file.
stop_pid() {
  local name="$1" grace="${2:-30}" pid
  if ! is_running "$name"; then
    rm -f "$RUN/$name.pid"
    echo "$name: not running"
    return 0
  fi
  pid="$(cat "$RUN/$name.pid")"
  kill -TERM "$pid" 2>/dev/null || true
  local waited=0
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$waited" -ge $((grace * 10)) ]; then
      echo "$name: did not stop within ${grace}s, sending SIGKILL" >&2
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
  rm -f "$RUN/$name.pid"
  echo "$name: stopped"
}

# wait_ready NAME : polls NAME_ready until it answers, the process dies, or NAME_timeout seconds pass.
wait_ready() {
  local name="$1" timeout start
  timeout="$("${name}_timeout")"
  start=$(date +%s)
  while true; do
    if "${name}_ready" >/dev/null 2>&1; then
      echo "$name: ready after $(($(date +%s) - start))s ($("${name}_address"))"
      return 0
    fi
    if ! is_running "$name"; then
      echo "$name: FAILED to start: the process exited. Log: $LOGS/$name.log" >&2
      tail -n 20 "$LOGS/$name.log" >&2 || true
      return 1
    fi
    if [ $(($(date +%s) - start)) -ge "$timeout" ]; then
      echo "$name: FAILED to start: no answer within ${timeout}s. Log: $LOGS/$name.log" >&2
      tail -n 20 "$LOGS/$name.log" >&2 || true
      return 1
    fi
    sleep 0.5
  done
}

# probe NAME : asks the server a real question through its Node driver (scripts/services/probe.mjs).
probe() {
  (cd "$ROOT" && timeout 20 node "$ROOT/scripts/services/probe.mjs" "$1")
}

# maven_classpath DIR : resolves DIR/pom.xml's runtime classpath into DIR/cp.txt once; later calls reuse it.
maven_classpath() {
  local dir="$1"
  if [ -s "$dir/cp.txt" ] && [ "$dir/cp.txt" -nt "$dir/pom.xml" ]; then return 0; fi
  (cd "$dir" && mvn -q -B dependency:build-classpath -Dmdep.outputFile=cp.txt -Dmdep.includeScope=runtime)
}
