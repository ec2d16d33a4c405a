"""Reads Confluent-format Avro records with confluent-kafka's own AvroDeserializer (the writer's schema comes from
the registry by the id in each record) and prints one JSON line per record: key, headers and the decoded value.

Values JSON cannot hold exactly are tagged: datetimes as {"$date": epoch millis}, integers beyond 2**53 as
{"$bigint": "digits"}. Used by the interop tests in packages/core/src/codec.

usage: avro_consume.py BOOTSTRAP REGISTRY_URL TOPIC COUNT [TIMEOUT_SECONDS]
"""
import datetime
import json
import sys
import time
import uuid

from confluent_kafka import OFFSET_BEGINNING, Consumer, TopicPartition
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer
from confluent_kafka.serialization import MessageField, SerializationContext


def tagged(value):
    if isinstance(value, datetime.datetime):
        return {"$date": round(value.timestamp() * 1000)}
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and abs(value) > 2**53:
        return {"$bigint": str(value)}
    if isinstance(value, dict):
        return {k: tagged(v) for k, v in value.items()}
    if isinstance(value, list):
        return [tagged(v) for v in value]
    return value


def log(*parts):
    print(*parts, file=sys.stderr, flush=True)


def main():
    bootstrap, registry, topic, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    deadline = time.time() + (float(sys.argv[5]) if len(sys.argv) > 5 else 30)
    deserialize = AvroDeserializer(SchemaRegistryClient({"url": registry, "timeout": 10}))
    # Partitions are assigned by hand: no consumer group, so no join or rebalance stands between us and the records.
    consumer = Consumer({
        "bootstrap.servers": bootstrap,
        "group.id": f"interop-{uuid.uuid4()}",
        "enable.auto.commit": False,
        "isolation.level": "read_committed",
        "error_cb": lambda err: log(f"client error: {err}"),
    })
    partitions = consumer.list_topics(topic, timeout=10).topics[topic].partitions
    consumer.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in sorted(partitions)])
    seen = 0
    try:
        while seen < count and time.time() < deadline:
            msg = consumer.poll(0.5)
            if msg is None:
                continue
            if msg.error():
                raise RuntimeError(str(msg.error()))
            value = deserialize(msg.value(), SerializationContext(topic, MessageField.VALUE, msg.headers()))
            headers = {k: v.decode("utf-8") for k, v in (msg.headers() or [])}
            key = msg.key().decode("utf-8") if msg.key() is not None else None
            print(json.dumps({"key": key, "headers": headers, "value": tagged(value)}), flush=True)
            seen += 1
        if seen < count:
            # What a reader needs to tell a slow broker from records that are not there (or not yet committed).
            for tp in consumer.position(consumer.assignment()):
                low, high = consumer.get_watermark_offsets(tp, timeout=5)
                log(f"partition {tp.partition}: position {tp.offset}, low {low}, high (last stable) {high}")
    finally:
        consumer.close()
    if seen < count:
        sys.exit(f"read {seen} of {count} records before the timeout")


if __name__ == "__main__":
    main()
