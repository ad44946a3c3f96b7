"""confluent-kafka / librdkafka transactional producer against streamlog: a committed and an aborted
transaction, a consume-transform-produce step that sends its input offsets with the transaction,
a zombie fenced by a second producer with the same transactional.id, and read_committed /
read_uncommitted consumers. Prints one JSON object."""
import json
import sys
import time

from confluent_kafka import Consumer, KafkaException, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

bootstrap = sys.argv[1]
topic = sys.argv[2]
out = {}

admin = AdminClient({"bootstrap.servers": bootstrap})
for t in (topic, topic + "-in"):
    admin.create_topics([NewTopic(t, num_partitions=1, replication_factor=1)])[t].result(timeout=30)


def producer(txid):
    p = Producer({"bootstrap.servers": bootstrap, "transactional.id": txid, "transaction.timeout.ms": 60000})
    p.init_transactions(30)
    return p


p = producer("ck-tx")
p.begin_transaction()
for i in range(3):
    p.produce(topic, value=f"committed-{i}")
p.commit_transaction(30)
p.begin_transaction()
for i in range(2):
    p.produce(topic, value=f"aborted-{i}")
p.flush(30)
p.abort_transaction(30)

# consume-transform-produce: input offsets go with the output transaction
plain = Producer({"bootstrap.servers": bootstrap})
for i in range(4):
    plain.produce(topic + "-in", value=f"in-{i}")
plain.flush(30)
consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "ck-tx-group", "auto.offset.reset": "earliest", "enable.auto.commit": False, "isolation.level": "read_committed"})
consumer.subscribe([topic + "-in"])
inputs = []
deadline = time.time() + 40
while len(inputs) < 4 and time.time() < deadline:
    msg = consumer.poll(0.5)
    if msg is None or msg.error():
        continue
    inputs.append(msg)
p.begin_transaction()
for m in inputs:
    p.produce(topic, value="out-" + m.value().decode())
p.send_offsets_to_transaction(consumer.position(consumer.assignment()), consumer.consumer_group_metadata(), 30)
p.commit_transaction(30)
out["committedInput"] = [tp.offset for tp in consumer.committed([TopicPartition(topic + "-in", 0)], timeout=10)]
consumer.close()

# zombie: a second producer with the same transactional.id fences the first
p.begin_transaction()
p.produce(topic, value="zombie")
p.flush(30)
successor = producer("ck-tx")
try:
    p.commit_transaction(30)
    out["zombieCommit"] = "committed"
except KafkaException as e:
    err = e.args[0]
    out["zombieCommit"] = err.name()
    out["zombieFatal"] = err.fatal()
successor.begin_transaction()
successor.produce(topic, value="successor")
successor.commit_transaction(30)


def read_all(isolation):
    c = Consumer({"bootstrap.servers": bootstrap, "group.id": "reader-" + isolation, "auto.offset.reset": "earliest", "enable.auto.commit": False, "isolation.level": isolation})
    c.assign([TopicPartition(topic, 0, 0)])
    values = []
    quiet_until = time.time() + 3
    deadline = time.time() + 40
    while time.time() < deadline and time.time() < quiet_until:
        msg = c.poll(0.3)
        if msg is None or msg.error():
            continue
        values.append(msg.value().decode())
        quiet_until = time.time() + 3
    c.close()
    return values


out["readCommitted"] = read_all("read_committed")
out["readUncommitted"] = read_all("read_uncommitted")
print(json.dumps(out))
