"""Confluent's Python client (Debian python3-confluent-kafka 1.7.0, legacy confluent_kafka.avro with python3-avro)
against ddpp's embedded broker and registry, run by ops' ConformanceTest. Nothing of ddpp's is used here.

  /usr/bin/python3 confluent_client.py consume-candidate <brokers> <registryUrl> <topic> <candidateId>
      prints "CANDIDATE <json>" for the candidate with that id (written by ddpp's Java producer)
  /usr/bin/python3 confluent_client.py produce-score <brokers> <registryUrl> <topic> <candidateId>
      writes a Score with the latest registered <topic>-value schema, prints "PRODUCED"
"""
import datetime
import json
import sys
import time

from confluent_kafka import Consumer, Producer
from confluent_kafka.avro import CachedSchemaRegistryClient
from confluent_kafka.avro.serializer.message_serializer import MessageSerializer


def consume_candidate(brokers, registry_url, topic, candidate_id):
    serializer = MessageSerializer(CachedSchemaRegistryClient({"url": registry_url}))
    consumer = Consumer({"bootstrap.servers": brokers, "group.id": "conformance-py-" + candidate_id,
                         "auto.offset.reset": "earliest", "enable.auto.commit": False})
    consumer.subscribe([topic])
    deadline = time.monotonic() + 90
    try:
        while time.monotonic() < deadline:
            message = consumer.poll(1.0)
            if message is None:
                continue
            if message.error():
                raise RuntimeError(str(message.error()))
            candidate = serializer.decode_message(message.value())
            if candidate["id"] == candidate_id:
                print("CANDIDATE " + json.dumps(candidate, default=str), flush=True)
                return 0
    finally:
        consumer.close()
    print("candidate not found", file=sys.stderr)
    return 3


def produce_score(brokers, registry_url, topic, candidate_id):
    registry = CachedSchemaRegistryClient({"url": registry_url})
    _, schema, _ = registry.get_latest_schema(topic + "-value")
    score = {
        "candidateId": candidate_id,
        "run": "run-py",
        "scorer": "py-length",
        "scorerVersion": "3.1",
        "status": "INVALID",
        "logReward": None,
        "details": {"client": "python3-confluent-kafka"},
        "latencyMicros": 654,
        "scoredAt": datetime.datetime(2023, 11, 14, 22, 13, 20, 111000, tzinfo=datetime.timezone.utc),
    }
    value = MessageSerializer(registry).encode_record_with_schema(topic, schema, score, is_key=False)
    producer = Producer({"bootstrap.servers": brokers})
    producer.produce(topic, key=candidate_id.encode("utf-8"), value=value)
    if producer.flush(30) != 0:
        raise RuntimeError("score not delivered")
    print("PRODUCED " + value.hex(), flush=True)
    return 0


if __name__ == "__main__":
    mode, brokers, registry_url, topic, candidate_id = sys.argv[1:6]
    action = consume_candidate if mode == "consume-candidate" else produce_score
    sys.exit(action(brokers, registry_url, topic, candidate_id))
