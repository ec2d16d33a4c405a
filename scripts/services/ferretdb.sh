# placeholder until the ferretdb service script lands
ferretdb_install() { echo "ferretdb: not implemented yet" >&2; return 1; }
ferretdb_start() { return 1; }
ferretdb_stop() { echo "ferretdb: not running"; }
ferretdb_ready() { return 1; }
ferretdb_timeout() { echo 1; }
ferretdb_address() { echo "-"; }
