"""kafka-python (Debian's python3-kafka 2.0.2) against streamlog: produce, consume in a group,
commit, resume from the commit, list and describe groups, describe configs. Prints one JSON object."""
import json
import sys

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import ConfigResource, ConfigResourceType, NewTopic

bootstrap = sys.argv[1]
topic = sys.argv[2]
out = {}

admin = KafkaAdminClient(bootstrap_servers=bootstrap, client_id="kp-admin", request_timeout_ms=20000)
admin.create_topics([NewTopic(topic, num_partitions=2, replication_factor=1)])
out["topics"] = sorted(t for t in admin.list_topics() if t == topic)

producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=5)
for i in range(20):
    producer.send(topic, key=f"k{i}".encode(), value=f"v{i}".encode(), partition=i % 2)
producer.flush(timeout=30)
producer.close()


def consume(n):
    consumer = KafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id="kp-group",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        consumer_timeout_ms=20000,
        session_timeout_ms=10000,
        heartbeat_interval_ms=500,
    )
    values = []
    for message in consumer:
        values.append(message.value.decode())
        if len(values) == n:
            break
    consumer.commit()
    committed = {p: consumer.committed(TopicPartition(topic, p)) for p in (0, 1)}
    consumer.close()
    return values, committed


first, committed = consume(20)
out["first"] = sorted(first, key=lambda v: int(v[1:]))
out["committed"] = committed

producer = KafkaProducer(bootstrap_servers=bootstrap, acks=1)
for i in range(20, 24):
    producer.send(topic, value=f"v{i}".encode(), partition=i % 2)
producer.flush(timeout=30)
producer.close()
second, _ = consume(4)
out["resumed"] = sorted(second, key=lambda v: int(v[1:]))

out["groups"] = [g[0] for g in admin.list_consumer_groups()]
described = admin.describe_consumer_groups(["kp-group"])[0]
out["describedState"] = described.state
offsets = admin.list_consumer_group_offsets("kp-group")
out["groupOffsets"] = sorted([tp.partition, meta.offset] for tp, meta in offsets.items())
configs = admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, topic)])
resources = configs[0].resources[0]
out["configNames"] = sorted(c[0] for c in resources[4] if c[0] in ("retention.ms", "cleanup.policy"))
admin.close()
print(json.dumps(out))
