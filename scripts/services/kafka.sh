# Apache Kafka, one KRaft node (broker and controller in one JVM) on 127.0.0.1:9092, controller 9093, from the
# jars on Maven Central: no tarball, no Docker. LTY_KAFKA_VERSION picks the version: 4.1.2 (default) or 3.9.1.
# The generated pom and its resolved classpath live in $CACHE/kafka-<version>/ (shared by all clones); the data
# in $STATE/data/kafka (formatted once), the generated server.properties in $STATE/conf/kafka.properties.
# The functions kafka_* below the service interface are shared with kafka3.sh (the optional 3-node cluster).

KAFKA_VERSION="${LTY_KAFKA_VERSION:-4.1.2}"
# Overridable so a test can run a private broker of its own (with its own LTY_STATE_DIR) and stop it at will.
KAFKA_PORT="${LTY_KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${LTY_KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_HOME="$CACHE/kafka-$KAFKA_VERSION"
# The line a broker logs once it serves clients (KafkaRaftServer, 3.9 and 4.x).
KAFKA_READY_LINE='Kafka Server started'

# The Maven coordinates of the broker and its SLF4J binding, one per line.
kafka_artifacts() {
  case "$KAFKA_VERSION" in
    4.*)
      # 4.x brings log4j-core but no SLF4J binding: without one the broker logs nothing at all.
      echo "org.apache.kafka:kafka_2.13:$KAFKA_VERSION"
      echo "org.apache.logging.log4j:log4j-slf4j-impl:2.25.3"
      ;;
    3.*)
      echo "org.apache.kafka:kafka_2.13:$KAFKA_VERSION"
      echo "org.slf4j:slf4j-reload4j:1.7.36"
      echo "ch.qos.reload4j:reload4j:1.2.25"
      ;;
    *)
      echo "kafka: unsupported LTY_KAFKA_VERSION=$KAFKA_VERSION (use 4.1.2 or 3.9.1)" >&2
      return 1
      ;;
  esac
}

# The JVM flag that points the logging backend at our console-only config.
kafka_log_flag() {
  case "$KAFKA_VERSION" in
    4.*) echo "-Dlog4j2.configurationFile=file:$KAFKA_HOME/log4j2.properties" ;;
    *) echo "-Dlog4j.configuration=file:$KAFKA_HOME/log4j.properties" ;;
  esac
}

# write_if_changed FILE : stdin to FILE, leaving FILE (and its mtime) alone when the content is the same.
kafka_write_if_changed() {
  local file="$1" tmp
  tmp="$(mktemp "$file.XXXXXX")"
  cat >"$tmp"
  if [ -f "$file" ] && cmp -s "$tmp" "$file"; then rm -f "$tmp"; else mv -f "$tmp" "$file"; fi
}

kafka_install() {
  local deps="" arts a g rest art ver fd missing
  arts="$(kafka_artifacts)" || return 1
  mkdir -p "$KAFKA_HOME"
  for a in $arts; do
    IFS=: read -r g art ver <<<"$a"
    deps="$deps    <dependency><groupId>$g</groupId><artifactId>$art</artifactId><version>$ver</version></dependency>
"
  done
  # One resolver at a time per version, also across clones sharing the cache.
  exec {fd}>"$KAFKA_HOME/.lock"
  flock "$fd"
  kafka_write_if_changed "$KAFKA_HOME/pom.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.listen-to-yourself</groupId>
  <artifactId>kafka-runtime</artifactId>
  <version>$KAFKA_VERSION</version>
  <packaging>pom</packaging>
  <dependencies>
$deps  </dependencies>
</project>
EOF
  # A cached classpath whose jars were removed from ~/.m2 is resolved again.
  if [ -s "$KAFKA_HOME/cp.txt" ]; then
    missing=0
    while IFS= read -r rest; do [ -f "$rest" ] || missing=1; done < <(tr ':' '\n' <"$KAFKA_HOME/cp.txt")
    if [ "$missing" = 1 ]; then rm -f "$KAFKA_HOME/cp.txt"; fi
  fi
  if [ ! -s "$KAFKA_HOME/cp.txt" ]; then echo "kafka: resolving Kafka $KAFKA_VERSION jars from Maven Central"; fi
  maven_classpath "$KAFKA_HOME" >"$LOGS/kafka-maven.log" 2>&1 || {
    exec {fd}>&-
    echo "kafka: could not resolve the classpath of $KAFKA_HOME/pom.xml. Log: $LOGS/kafka-maven.log" >&2
    tail -n 20 "$LOGS/kafka-maven.log" >&2
    return 1
  }
  exec {fd}>&-
  # Console only, services.sh sends it to $LOGS; kafka.* at INFO carries the ready line.
  kafka_write_if_changed "$KAFKA_HOME/log4j2.properties" <<'EOF'
status = warn
appender.console.type = Console
appender.console.name = STDOUT
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = WARN
rootLogger.appenderRef.stdout.ref = STDOUT
logger.kafka.name = kafka
logger.kafka.level = INFO
logger.request.name = kafka.request.logger
logger.request.level = WARN
EOF
  kafka_write_if_changed "$KAFKA_HOME/log4j.properties" <<'EOF'
log4j.rootLogger=WARN, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka=INFO
log4j.logger.kafka.request.logger=WARN
EOF
}

kafka_classpath() { cat "$KAFKA_HOME/cp.txt"; }

# kafka_java ARGS... : the JVM with the broker's classpath and logging config.
kafka_java() {
  java -Djava.awt.headless=true "$(kafka_log_flag)" -cp "$(kafka_classpath)" "$@"
}

# kafka_write_props FILE NODE_ID PORT CONTROLLER_PORT VOTERS LOG_DIR REPLICATION MIN_ISR
# One node that is both broker and controller. REPLICATION and MIN_ISR apply to new topics and to the internal
# offsets and transaction topics (1 partition each: created in milliseconds, one coordinator to reason about).
kafka_write_props() {
  local file="$1" id="$2" port="$3" cport="$4" voters="$5" dir="$6" rf="$7" isr="$8"
  mkdir -p "$(dirname "$file")"
  {
    echo "process.roles=broker,controller"
    echo "node.id=$id"
    echo "controller.quorum.voters=$voters"
    echo "listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport"
    echo "advertised.listeners=PLAINTEXT://127.0.0.1:$port"
    echo "controller.listener.names=CONTROLLER"
    echo "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT"
    echo "inter.broker.listener.name=PLAINTEXT"
    echo "log.dirs=$dir"
    echo "num.partitions=1"
    echo "default.replication.factor=$rf"
    echo "min.insync.replicas=$isr"
    echo "offsets.topic.replication.factor=$rf"
    echo "offsets.topic.num.partitions=1"
    echo "transaction.state.log.replication.factor=$rf"
    echo "transaction.state.log.min.isr=$isr"
    echo "transaction.state.log.num.partitions=1"
    echo "group.initial.rebalance.delay.ms=0"
    # The cleaner allocates this buffer on the heap at start-up (default 128 MB); tests compact little.
    echo "log.cleaner.dedupe.buffer.size=33554432"
    case "$KAFKA_VERSION" in
      4.*)
        echo "share.coordinator.state.topic.replication.factor=$rf"
        echo "share.coordinator.state.topic.min.isr=$isr"
        ;;
    esac
  } | kafka_write_if_changed "$file"
}

# kafka_format NAME DIR PROPS CLUSTER_ID : formats DIR once (no meta.properties yet); remembers the version.
kafka_format() {
  local name="$1" dir="$2" props="$3" cid="$4"
  if [ -f "$dir/meta.properties" ]; then return 0; fi
  mkdir -p "$dir"
  kafka_java kafka.tools.StorageTool format -t "$cid" -c "$props" -g >"$LOGS/$name-format.log" 2>&1 || {
    echo "$name: formatting $dir FAILED. Log: $LOGS/$name-format.log" >&2
    tail -n 20 "$LOGS/$name-format.log" >&2
    return 1
  }
  echo "$KAFKA_VERSION" >"$dir/.lty-kafka-version"
}

kafka_random_uuid() { kafka_java kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n 1; }

# kafka_check_version NAME DIR : an older Kafka cannot read a log dir a newer one formatted; say so plainly.
kafka_check_version() {
  local name="$1" dir="$2" was
  [ -f "$dir/.lty-kafka-version" ] || return 0
  was="$(cat "$dir/.lty-kafka-version")"
  if [ "$was" != "$KAFKA_VERSION" ]; then
    echo "$name: $dir was formatted by Kafka $was, not $KAFKA_VERSION." \
      "Set LTY_KAFKA_VERSION=$was, or remove the directory (test data only) to start afresh." >&2
    return 1
  fi
}

# JVM options: a small heap, and C1 only (about half the start-up CPU; plenty for tests).
KAFKA_JVM_OPTS=(-Xms256m -Xmx512m -XX:TieredStopAtLevel=1 -XX:+ExitOnOutOfMemoryError)

# kafka_start_node NAME PROPS : starts one broker JVM detached (log $LOGS/NAME.log, pid $RUN/NAME.pid).
kafka_start_node() {
  local name="$1" props="$2" port
  # A port another process holds would make this JVM fail to bind while that process answers the readiness
  # probe: refuse instead of running the caller against a broker it did not start.
  for port in $(sed -n 's/^listeners=.*:\([0-9]*\),.*:\([0-9]*\)$/\1 \2/p' "$props"); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$name: port $port is already taken by a process these scripts did not start; not starting" >&2
      return 1
    fi
  done
  echo "$name: Kafka $KAFKA_VERSION"
  start_bg "$name" java "${KAFKA_JVM_OPTS[@]}" -Djava.awt.headless=true "$(kafka_log_flag)" \
    -cp "$(kafka_classpath)" kafka.Kafka "$props"
}

# kafka_log_ready NAME : the broker has logged its ready line since it was (re)started.
kafka_log_ready() { grep -q "$KAFKA_READY_LINE" "$LOGS/$1.log" 2>/dev/null; }

# ---- the service interface used by services.sh ----

kafka_start() {
  local dir="$STATE/data/kafka" props="$STATE/conf/kafka.properties" cid
  kafka_check_version kafka "$dir" || return 1
  kafka_write_props "$props" 1 "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT" "1@127.0.0.1:$KAFKA_CONTROLLER_PORT" \
    "$dir" 1 1
  if [ ! -f "$dir/meta.properties" ]; then
    cid="$(kafka_random_uuid)"
    [ -n "$cid" ] || { echo "kafka: StorageTool random-uuid gave nothing" >&2; return 1; }
    kafka_format kafka "$dir" "$props" "$cid" || return 1
  fi
  kafka_start_node kafka "$props"
}

kafka_stop() { stop_pid kafka 30; }

# Ready when a real admin round trip answers. While our own JVM has not yet logged its ready line, skip the
# (comparatively costly) Node probe.
kafka_ready() {
  if ! is_external kafka && is_running kafka && ! kafka_log_ready kafka; then return 1; fi
  KAFKA_BROKERS="$(kafka_address)" probe kafka
}

kafka_timeout() { echo 90; }
kafka_address() { echo "${KAFKA_BROKERS:-127.0.0.1:$KAFKA_PORT}"; }
