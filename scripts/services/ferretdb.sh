# FerretDB v1.24.2, the MongoDB wire-protocol server, embedded in our own small Go program
# (scripts/services/ferretdb/main.go explains why not the upstream CLI), storing into a private PostgreSQL
# cluster `ferretdb-pg` on 127.0.0.1:5433, separate from the `postgres` service on 5432.
# Needs Go >= 1.24 and PostgreSQL (postgres.sh provides pg_cluster_start, pg_cluster_stop, pg_bindir, pg_as_owner).

FERRETDB_PORT=27017
FERRETDB_PG=ferretdb-pg
FERRETDB_PG_PORT=5433
FERRETDB_PG_DB=ferretdb
FERRETDB_SRC="$HERE/ferretdb"

# The binary's path: keyed by a hash of the sources, so a change to any of them builds a new one.
ferretdb_bin() {
  local key
  key="$(cat "$FERRETDB_SRC/go.mod" "$FERRETDB_SRC/go.sum" "$FERRETDB_SRC/main.go" | sha256sum | cut -c1-16)"
  echo "$CACHE/ferretdb/$key/ferretdb-server"
}

ferretdb_install() {
  local bin dir start
  bin="$(ferretdb_bin)"
  if [ -x "$bin" ]; then return 0; fi
  if ! command -v go >/dev/null; then
    echo "ferretdb: Go >= 1.24 is needed to build $FERRETDB_SRC (https://go.dev/dl/)" >&2
    return 1
  fi
  dir="$(dirname "$bin")"
  mkdir -p "$dir"
  echo "ferretdb: building $bin (first time: a few minutes; log $LOGS/ferretdb-build.log)"
  start=$(date +%s)
  # go.sum is committed, so the default -mod=readonly suffices; -p bounds parallel compiles (2-core machines).
  if ! (cd "$FERRETDB_SRC" && go build -trimpath -buildvcs=false -p "${LTY_GO_BUILD_JOBS:-1}" \
    -o "$dir/ferretdb-server.tmp" .) >"$LOGS/ferretdb-build.log" 2>&1; then
    echo "ferretdb: FAILED to build. Log: $LOGS/ferretdb-build.log" >&2
    tail -n 20 "$LOGS/ferretdb-build.log" >&2
    rm -f "$dir/ferretdb-server.tmp"
    return 1
  fi
  mv "$dir/ferretdb-server.tmp" "$bin"
  # Builds from older sources are of no further use.
  find "$CACHE/ferretdb" -mindepth 1 -maxdepth 1 -type d ! -path "$dir" -exec rm -rf {} +
  echo "ferretdb: built in $(($(date +%s) - start))s"
}

# True when the backend cluster runs, whatever our pid file says; refreshes the pid file.
ferretdb_pg_running() {
  local dir="$STATE/data/$FERRETDB_PG"
  [ -s "$dir/PG_VERSION" ] || return 1
  pg_as_owner "$(pg_bindir)/pg_ctl" -D "$dir" status >/dev/null 2>&1 || return 1
  head -n 1 "$dir/postmaster.pid" >"$RUN/$FERRETDB_PG.pid"
}

ferretdb_psql() {
  local psql
  psql="$(pg_bindir)/psql"
  [ -x "$psql" ] || psql=psql
  "$psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$FERRETDB_PG_PORT" -U postgres -d postgres "$@"
}

ferretdb_start() {
  if ferretdb_pg_running; then
    echo "$FERRETDB_PG: already running (pid $(cat "$RUN/$FERRETDB_PG.pid"))"
  else
    pg_cluster_start "$FERRETDB_PG" "$FERRETDB_PG_PORT" || return 1
  fi
  # FerretDB needs its database to exist; it creates its own schemas and tables inside.
  if [ "$(ferretdb_psql -tAc "SELECT 1 FROM pg_database WHERE datname = '$FERRETDB_PG_DB'")" != 1 ]; then
    ferretdb_psql -c "CREATE DATABASE $FERRETDB_PG_DB" || {
      echo "ferretdb: cannot create database $FERRETDB_PG_DB on port $FERRETDB_PG_PORT. Log: $LOGS/$FERRETDB_PG.log" >&2
      return 1
    }
  fi
  start_bg ferretdb "$(ferretdb_bin)" \
    -listen "127.0.0.1:$FERRETDB_PORT" \
    -postgresql "postgres://postgres@127.0.0.1:$FERRETDB_PG_PORT/$FERRETDB_PG_DB" \
    -log-level "${FERRETDB_LOG_LEVEL:-info}"
}

ferretdb_stop() {
  stop_pid ferretdb 15
  ferretdb_pg_running || true
  pg_cluster_stop "$FERRETDB_PG"
}

ferretdb_ready() {
  # Fast "no" when nothing listens locally (the driver would wait out its server selection timeout);
  # an open port proves nothing more, since FerretDB listens even when its backend is down: the probe asks.
  if ! is_external ferretdb && ! (exec 3<>"/dev/tcp/127.0.0.1/$FERRETDB_PORT") 2>/dev/null; then return 1; fi
  probe ferretdb
}

ferretdb_timeout() { echo 30; }
ferretdb_address() { echo "${MONGO_URL:-mongodb://127.0.0.1:$FERRETDB_PORT/}"; }
