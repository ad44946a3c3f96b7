"""confluent-kafka 1.7 / librdkafka 2.0 (Debian's python3-confluent-kafka) against streamlog:
an idempotent producer, a group consumer that commits and resumes, list_groups, and topic configs
(describe, alter retention). Prints one JSON object."""
import json
import sys
import time

from confluent_kafka import Consumer, KafkaException, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, ConfigResource, NewTopic

bootstrap = sys.argv[1]
topic = sys.argv[2]
out = {}

admin = AdminClient({"bootstrap.servers": bootstrap})
admin.create_topics([NewTopic(topic, num_partitions=2, replication_factor=1)])[topic].result(timeout=30)

errors = []
producer = Producer({"bootstrap.servers": bootstrap, "enable.idempotence": True, "acks": "all", "linger.ms": 5})
for i in range(50):
    producer.produce(topic, key=f"k{i}", value=f"v{i}", partition=i % 2, on_delivery=lambda err, msg: err and errors.append(str(err)))
remaining = producer.flush(30)
out["produceErrors"] = errors
out["unflushed"] = remaining


def consume(n):
    consumer = Consumer({
        "bootstrap.servers": bootstrap,
        "group.id": "ck-group",
        "auto.offset.reset": "earliest",
        "enable.auto.commit": False,
        "session.timeout.ms": 10000,
        "heartbeat.interval.ms": 500,
    })
    consumer.subscribe([topic])
    values = []
    deadline = time.time() + 40
    while len(values) < n and time.time() < deadline:
        msg = consumer.poll(0.5)
        if msg is None or msg.error():
            continue
        values.append(msg.value().decode())
    consumer.commit(asynchronous=False)
    committed = sorted([tp.partition, tp.offset] for tp in consumer.committed([TopicPartition(topic, 0), TopicPartition(topic, 1)], timeout=10))
    consumer.close()
    return values, committed


first, committed = consume(50)
out["firstCount"] = len(set(first))
out["committed"] = committed
producer = Producer({"bootstrap.servers": bootstrap, "enable.idempotence": True})
for i in range(50, 54):
    producer.produce(topic, value=f"v{i}", partition=i % 2)
producer.flush(30)
second, _ = consume(4)
out["resumed"] = sorted(second, key=lambda v: int(v[1:]))

groups = admin.list_groups(timeout=10)
out["groups"] = sorted(g.id for g in groups)
out["groupStates"] = sorted(g.state for g in groups)

resource = ConfigResource("topic", topic, set_config={"retention.ms": "3600000"})
admin.alter_configs([resource])[resource].result(timeout=30)
described = admin.describe_configs([ConfigResource("topic", topic)])
configs = list(described.values())[0].result(timeout=30)
out["retention"] = configs["retention.ms"].value
print(json.dumps(out))
