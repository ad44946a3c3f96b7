"""The librdkafka transactional producer (Debian's python3-confluent-kafka) for the streamlog bench:
N transactions of BATCH records each, one at a time (begin, produce, commit), as a read-process-write
loop would. Prints one JSON object: records, seconds, latency per transaction (p50, p99, ms) and
this process's CPU seconds."""
import json
import resource
import sys
import time

from confluent_kafka import Producer
from confluent_kafka.admin import AdminClient, NewTopic

bootstrap, topic, transactions, batch, value_bytes = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
admin = AdminClient({"bootstrap.servers": bootstrap})  # kept: a destroyed client fails its futures
admin.create_topics([NewTopic(topic, num_partitions=1, replication_factor=1)])[topic].result(timeout=30)
producer = Producer({"bootstrap.servers": bootstrap, "transactional.id": "bench-librdkafka-tx", "linger.ms": 5})
producer.init_transactions(30)
value = b"x" * value_bytes
latencies = []


def cpu_seconds():
    u = resource.getrusage(resource.RUSAGE_SELF)
    return u.ru_utime + u.ru_stime


c0 = cpu_seconds()
t0 = time.perf_counter()
for i in range(transactions):
    s = time.perf_counter()
    producer.begin_transaction()
    for j in range(batch):
        while True:
            try:
                producer.produce(topic, key=f"rider-{j % 500}", value=value)
                break
            except BufferError:  # the local queue is full: let librdkafka send
                producer.poll(0.01)
    producer.commit_transaction(60)
    latencies.append((time.perf_counter() - s) * 1000)
seconds = time.perf_counter() - t0
latencies.sort()
pick = lambda p: latencies[min(len(latencies) - 1, int(len(latencies) * p / 100))]
print(json.dumps({"records": transactions * batch, "seconds": seconds, "p50": pick(50), "p99": pick(99), "cpuSeconds": cpu_seconds() - c0}))
