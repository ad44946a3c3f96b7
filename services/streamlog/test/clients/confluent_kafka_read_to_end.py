"""Read one partition from the beginning to its end with librdkafka (confluent-kafka) at the given
isolation level, without a group; prints the records as a JSON list of "key=value"."""
import json
import sys

from confluent_kafka import OFFSET_BEGINNING, Consumer, KafkaError, TopicPartition

bootstrap, topic, isolation = sys.argv[1], sys.argv[2], sys.argv[3]
consumer = Consumer({
    "bootstrap.servers": bootstrap,
    "group.id": "unused-read-to-end",
    "enable.auto.commit": False,
    "enable.partition.eof": True,
    "isolation.level": isolation,
})
consumer.assign([TopicPartition(topic, 0, OFFSET_BEGINNING)])
records = []
while True:
    msg = consumer.poll(30)
    if msg is None:
        raise SystemExit("no partition end within 30 s")
    if msg.error():
        # the end of the partition (for read_committed: of its stable part) ends the read
        if msg.error().code() == KafkaError._PARTITION_EOF:
            break
        raise SystemExit(str(msg.error()))
    key = msg.key().decode() if msg.key() is not None else None
    value = msg.value().decode() if msg.value() is not None else None
    records.append(f"{key}={value}")
consumer.close()
print(json.dumps(records))
