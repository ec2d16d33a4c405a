# placeholder until the cassandra service script lands
cassandra_install() { echo "cassandra: not implemented yet" >&2; return 1; }
cassandra_start() { return 1; }
cassandra_stop() { echo "cassandra: not running"; }
cassandra_ready() { return 1; }
cassandra_timeout() { echo 1; }
cassandra_address() { echo "-"; }
