# placeholder until the kafka service script lands
kafka_install() { echo "kafka: not implemented yet" >&2; return 1; }
kafka_start() { return 1; }
kafka_stop() { echo "kafka: not running"; }
kafka_ready() { return 1; }
kafka_timeout() { echo 1; }
kafka_address() { echo "-"; }
