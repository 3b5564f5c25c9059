"""Confluent's Python client (Debian python3-confluent-kafka 1.7.0, legacy confluent_kafka.avro with python3-avro)
against ddpp's embedded broker and registry, run by ops' ConformanceTest. Nothing of ddpp's is used here.

  /usr/bin/python3 confluent_client.py consume-candidate <brokers> <registryUrl> <topic> <candidateId>
      prints "CANDIDATE <json>" for the candidate with that id (written by ddpp's Java producer)
  /usr/bin/python3 confluent_client.py produce-score <brokers> <registryUrl> <topic> <candidateId>
      writes a Score with the latest registered <topic>-value schema, prints "PRODUCED"
  DDPP_WRITER_USER_INFO=user:pass DDPP_READER_USER_INFO=user:pass \
  /usr/bin/python3 confluent_client.py basic-auth <registryUrl> <subject>
      against a registry started with --users: registers a schema as the read-write user ("REGISTERED <id>"),
      looks it up as the read-only user with both Python clients ("LOOKUP <id>", "LEGACY <id>"), and prints
      "ANONYMOUS <http status> <error_code>" / "READONLY <http status> <error_code>" for registrations
      without credentials and by the read-only user
"""
import datetime
import json
import os
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


def basic_auth(registry_url, subject):
    # confluent_kafka.schema_registry's client needs no fastavro; only its Avro serdes do
    from confluent_kafka.schema_registry import Schema, SchemaRegistryClient
    from confluent_kafka.schema_registry.error import SchemaRegistryError

    writer_info = os.environ["DDPP_WRITER_USER_INFO"]
    reader_info = os.environ["DDPP_READER_USER_INFO"]
    schema = Schema(json.dumps({"type": "record", "name": "BasicAuthProbe", "namespace": "conformance.py",
                                "fields": [{"name": "note", "type": "string"}]}), "AVRO")
    writer = SchemaRegistryClient({"url": registry_url, "basic.auth.user.info": writer_info})
    print("REGISTERED %d" % writer.register_schema(subject, schema), flush=True)
    reader_conf = {"url": registry_url, "basic.auth.user.info": reader_info}
    print("LOOKUP %d" % SchemaRegistryClient(reader_conf).lookup_schema(subject, schema).schema_id, flush=True)
    legacy = CachedSchemaRegistryClient({"url": registry_url, "basic.auth.credentials.source": "USER_INFO",
                                         "basic.auth.user.info": reader_info})
    schema_id, _, _ = legacy.get_latest_schema(subject)
    print("LEGACY %s" % schema_id, flush=True)
    for name, conf in (("ANONYMOUS", {"url": registry_url}), ("READONLY", reader_conf)):
        try:
            SchemaRegistryClient(conf).register_schema(subject.replace("-value", "-denied-value"), schema)
            print(name + " registered", flush=True)
        except SchemaRegistryError as e:
            print("%s %d %d" % (name, e.http_status_code, e.error_code), flush=True)
    return 0


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "basic-auth":
        sys.exit(basic_auth(*sys.argv[2:4]))
    brokers, registry_url, topic, candidate_id = sys.argv[2:6]
    action = consume_candidate if mode == "consume-candidate" else produce_score
    sys.exit(action(brokers, registry_url, topic, candidate_id))
