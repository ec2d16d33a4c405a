"""Writes records with confluent-kafka's own AvroSerializer, using the latest schema registered for the topic's
subject (so the bytes come from fastavro, not from our code). Reads the records to write as JSON from stdin: a list
of {"key", "headers", "value"}; {"$date": epoch millis} in a value becomes a datetime. Prints the number written.

usage: avro_produce.py BOOTSTRAP REGISTRY_URL TOPIC < records.json
"""
import datetime
import json
import sys

from confluent_kafka import Producer
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroSerializer
from confluent_kafka.serialization import MessageField, SerializationContext


def untagged(value):
    if isinstance(value, dict):
        if set(value) == {"$date"}:
            return datetime.datetime.fromtimestamp(value["$date"] / 1000, tz=datetime.timezone.utc)
        if set(value) == {"$bigint"}:
            return int(value["$bigint"])
        return {k: untagged(v) for k, v in value.items()}
    if isinstance(value, list):
        return [untagged(v) for v in value]
    return value


def main():
    bootstrap, registry, topic = sys.argv[1], sys.argv[2], sys.argv[3]
    records = json.load(sys.stdin)
    serialize = AvroSerializer(
        SchemaRegistryClient({"url": registry}),
        conf={"auto.register.schemas": False, "use.latest.version": True},
    )
    producer = Producer({"bootstrap.servers": bootstrap, "acks": "all", "enable.idempotence": True})
    failures = []
    for record in records:
        ctx = SerializationContext(topic, MessageField.VALUE)
        value = serialize(untagged(record["value"]), ctx)
        producer.produce(
            topic,
            key=record["key"].encode("utf-8"),
            value=value,
            headers=[(k, v.encode("utf-8")) for k, v in record["headers"].items()],
            on_delivery=lambda err, _msg: err and failures.append(str(err)),
        )
    undelivered = producer.flush(50)
    if undelivered:
        failures.append(f"{undelivered} record(s) not acknowledged within 50 s")
    if failures:
        sys.exit("; ".join(failures))
    print(len(records))


if __name__ == "__main__":
    main()
