# PostgreSQL from Debian's packages: a private cluster under .services/data (see pg_paths), trust auth, loopback only.
# Durability settings are off on purpose: these clusters hold test data only.

PG_PORT=5432

pg_bindir() {
  local d
  for d in /usr/lib/postgresql/*/bin; do
    if [ -x "$d/pg_ctl" ]; then echo "$d"; return 0; fi
  done
  return 1
}

# Runs a command as the postgres user when we are root (initdb and postgres refuse root).
pg_as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

postgres_install() {
  if pg_bindir >/dev/null; then return 0; fi
  echo "postgres: installing Debian's postgresql package"
  if [ "$(id -u)" != 0 ]; then
    echo "postgres: not installed and not root; run: sudo apt-get install -y postgresql" >&2
    return 1
  fi
  # Keep the package from creating and starting its own cluster on our port.
  mkdir -p /etc/postgresql-common/createcluster.d
  echo "create_main_cluster = false" >/etc/postgresql-common/createcluster.d/lty.conf
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null
}

# Where cluster NAME keeps its data, socket and log: "DATA SOCK LOG". Under the state dir, unless we are root and the
# postgres user cannot reach it (a clone in root's 0700 home): then in a folder of the postgres user's own, one per
# state dir (LTY_PG_HOME moves it), since initdb and the server run as postgres and must enter their data dir.
pg_paths() {
  local name="$1" base
  if [ "$(id -u)" != 0 ] || runuser -u postgres -- test -x "$STATE/data" -a -x "$RUN" -a -x "$LOGS"; then
    echo "$STATE/data/$name $RUN/$name-sock $LOGS/$name.log"
    return 0
  fi
  base="${LTY_PG_HOME:-/var/lib/postgresql/listen-to-yourself}/$(printf '%s' "$STATE" | sha256sum | cut -c1-12)"
  echo "$base/data/$name $base/run/$name-sock $base/logs/$name.log"
}

# pg_cluster_start NAME PORT : initialises (once) and starts the cluster NAME (see pg_paths) on PORT.
pg_cluster_start() {
  local name="$1" port="$2" bin dir sock log
  bin="$(pg_bindir)"
  read -r dir sock log <<<"$(pg_paths "$name")"
  mkdir -p "$sock" "$(dirname "$log")" "$(dirname "$dir")"
  if [ "$dir" != "$STATE/data/$name" ]; then
    echo "$name: the postgres user cannot enter $STATE; data, socket and log in $(dirname "$(dirname "$dir")")"
    chown postgres:postgres "$(dirname "$(dirname "$dir")")" "$(dirname "$dir")" "$(dirname "$sock")" "$(dirname "$log")"
  fi
  if [ ! -s "$dir/PG_VERSION" ]; then
    mkdir -p "$dir"
    chmod 700 "$dir"
    if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$dir"; fi
    pg_as_owner "$bin/initdb" -D "$dir" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 --no-sync \
      >"$LOGS/$name-initdb.log" 2>&1 || {
      echo "$name: initdb failed, log $LOGS/$name-initdb.log" >&2
      return 1
    }
  fi
  if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$sock" "$(dirname "$log")"; touch "$log"; chown postgres "$log"; fi
  pg_as_owner "$bin/pg_ctl" -D "$dir" -l "$log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $sock -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null || {
    echo "$name: FAILED to start. Log: $log" >&2
    tail -n 20 "$log" >&2
    return 1
  }
  # pg_ctl daemonises; its postmaster.pid holds the server's pid on the first line.
  head -n 1 "$dir/postmaster.pid" >"$RUN/$name.pid"
  echo "$name: started (pid $(cat "$RUN/$name.pid"), log $log)"
}

pg_cluster_stop() {
  local name="$1" dir sock log
  read -r dir sock log <<<"$(pg_paths "$name")"
  if [ -f "$dir/postmaster.pid" ] && is_running "$name"; then
    pg_as_owner "$(pg_bindir)/pg_ctl" -D "$dir" -m fast -w -t 60 stop >/dev/null
    echo "$name: stopped"
  else
    echo "$name: not running"
  fi
  rm -f "$RUN/$name.pid"
}

postgres_start() { pg_cluster_start postgres "$PG_PORT"; }
postgres_stop() { pg_cluster_stop postgres; }
postgres_ready() { probe postgres; }
postgres_timeout() { echo 60; }
postgres_address() { echo "${POSTGRES_URL:-postgres://postgres@127.0.0.1:$PG_PORT/postgres}"; }
