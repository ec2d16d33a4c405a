# placeholder until the registry service script lands
registry_install() { echo "registry: not implemented yet" >&2; return 1; }
registry_start() { return 1; }
registry_stop() { echo "registry: not running"; }
registry_ready() { return 1; }
registry_timeout() { echo 1; }
registry_address() { echo "-"; }
