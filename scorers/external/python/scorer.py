"""garnier-sheet: an external ddpp scorer in Python, and the template for bringing your own scorer.

Reads Candidates from ddpp.candidates, predicts each protein's secondary structure with EMBOSS garnier, and
publishes one Score per protein candidate to ddpp.scores, keyed by candidate id, in the Confluent wire format
through the schema registry:
  OK       log R = log(max(sheet fraction, floor)), sheet fraction = residues predicted E / residues
  INVALID  the candidate's text is not a protein (anything but the 20 one-letter amino-acid codes)
  FAILED   garnier could not be run or gave no prediction for it
Candidates of other tasks are skipped. Scores and consumed offsets are committed in one Kafka transaction, and
candidates are read read_committed, so each candidate is scored once across crashes and restarts.

  /usr/bin/python3 scorer.py --bootstrap-servers 127.0.0.1:9092 --schema-registry http://127.0.0.1:8081
"""
import argparse
import datetime
import logging
import math
import re
import sys
import time
import uuid

from confluent_kafka import Consumer, KafkaException, Producer
from confluent_kafka.avro import CachedSchemaRegistryClient
from confluent_kafka.avro.serializer.message_serializer import MessageSerializer

import garnier

NAME = "garnier-sheet"
VERSION = "1"
PROTEIN = re.compile(r"^[ACDEFGHIKLMNPQRSTVWY]+$")
log = logging.getLogger(NAME)


def options(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--bootstrap-servers", default="127.0.0.1:9092")
    p.add_argument("--schema-registry", default="http://127.0.0.1:8081")
    p.add_argument("--candidates-topic", default="ddpp.candidates")
    p.add_argument("--scores-topic", default="ddpp.scores")
    p.add_argument("--group", default="ddpp-scorer-" + NAME, help="consumer group; also the transactional id prefix")
    p.add_argument("--task", default="protein", help="Candidate.task this scorer judges (default: %(default)s)")
    p.add_argument("--run", default=None, help="score only candidates of this run (default: every run)")
    p.add_argument("--floor", type=float, default=0.01, help="sheet fraction floor under the log (default: %(default)s)")
    p.add_argument("--batch-size", type=int, default=64, help="candidates per garnier call and transaction")
    p.add_argument("--garnier", default="garnier", help="the garnier executable (Debian package emboss)")
    p.add_argument("--max-candidates", type=int, default=0, help="stop after scoring this many (0: never)")
    p.add_argument("--max-seconds", type=float, default=0, help="stop after this many seconds (0: never)")
    a = p.parse_args(argv)
    if not 0 < a.floor <= 1:
        p.error("--floor must be in (0, 1], got %s" % a.floor)
    if a.batch_size < 1:
        p.error("--batch-size must be >= 1")
    return a


def score_batch(candidates, a):
    """candidates: decoded Candidate dicts. Returns one Score dict per candidate, same order."""
    started = time.monotonic()
    proteins = [c for c in candidates if PROTEIN.match(c["text"] or "")]
    predicted, failure = {}, None
    try:
        for c, f in zip(proteins, garnier.predict([c["text"] for c in proteins], a.garnier)):
            predicted[c["id"]] = f
    except garnier.GarnierError as e:
        failure = str(e)
        log.error("garnier failed on a batch of %d: %s", len(proteins), failure)
    micros = int((time.monotonic() - started) * 1e6 / max(1, len(candidates)))
    scores = []
    for c in candidates:
        score = {"candidateId": c["id"], "run": c["run"], "scorer": NAME, "scorerVersion": VERSION,
                 "logReward": None, "latencyMicros": micros,
                 "scoredAt": datetime.datetime.now(datetime.timezone.utc)}
        if c["id"] in predicted:
            f = predicted[c["id"]]
            score.update(status="OK", logReward=math.log(max(f["E"], a.floor)),
                         details={"sheet": "%.4f" % f["E"], "helix": "%.4f" % f["H"], "predictor": "EMBOSS garnier"})
        elif failure is not None and PROTEIN.match(c["text"] or ""):
            score.update(status="FAILED", details={"reason": failure})
        else:
            score.update(status="INVALID", details={"reason": "text is not a protein of the 20 standard amino acids: %r"
                                                    % (c["text"] or "")[:80]})
        scores.append(score)
    return scores


def main(argv):
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s - %(message)s")
    a = options(argv)
    registry = CachedSchemaRegistryClient({"url": a.schema_registry})
    serializer = MessageSerializer(registry)
    subject = a.scores_topic + "-value"
    # the client logs a 404 itself; the line below says what it means
    logging.getLogger("confluent_kafka.avro.cached_schema_registry_client").setLevel(logging.CRITICAL)
    try:
        _, score_schema, _ = registry.get_latest_schema(subject)
    except Exception as e:  # unreachable registry: one line, not a traceback
        log.error("schema registry %s not reachable: %s", a.schema_registry, str(e).splitlines()[0][:300])
        return 2
    if score_schema is None:
        log.error("no schema registered under %s at %s: start a ddpp role that writes scores first", subject, a.schema_registry)
        return 2
    consumer = Consumer({"bootstrap.servers": a.bootstrap_servers, "group.id": a.group,
                         "auto.offset.reset": "earliest", "enable.auto.commit": False,
                         "isolation.level": "read_committed"})
    producer = Producer({"bootstrap.servers": a.bootstrap_servers,
                         "transactional.id": "%s-%s" % (a.group, uuid.uuid4())})
    try:
        producer.init_transactions(30)
    except KafkaException as e:
        log.error("Kafka at %s not usable for transactions: %s", a.bootstrap_servers, e)
        consumer.close()
        return 2
    consumer.subscribe([a.candidates_topic])
    deadline = time.monotonic() + a.max_seconds if a.max_seconds > 0 else None
    scored = skipped = 0
    log.info("%s %s scoring task %s from %s into %s", NAME, VERSION, a.task, a.candidates_topic, a.scores_topic)
    try:
        while (a.max_candidates <= 0 or scored < a.max_candidates) and (deadline is None or time.monotonic() < deadline):
            messages = consumer.consume(num_messages=a.batch_size, timeout=0.5)
            if not messages:
                continue
            batch = []
            partitions = []  # each score goes to its candidate's partition number: the joiner needs them co-partitioned
            for m in messages:
                if m.error():
                    raise KafkaException(m.error())
                try:
                    c = serializer.decode_message(m.value())
                except Exception as e:  # a record we cannot read: say so loudly, never score it as anything
                    log.error("undecodable record at %s[%d]@%d skipped: %s", m.topic(), m.partition(), m.offset(), e)
                    skipped += 1
                    continue
                if c["task"] == a.task and (a.run is None or c["run"] == a.run):
                    batch.append(c)
                    partitions.append(m.partition())
            producer.begin_transaction()
            for s, partition in zip(score_batch(batch, a), partitions):
                value = serializer.encode_record_with_schema(a.scores_topic, score_schema, s, is_key=False)
                producer.produce(a.scores_topic, key=s["candidateId"].encode("utf-8"), value=value, partition=partition)
            producer.send_offsets_to_transaction(consumer.position(consumer.assignment()),
                                                 consumer.consumer_group_metadata(), 30)
            producer.commit_transaction(30)
            scored += len(batch)
            if batch:
                log.info("scored %d candidates (%d in all)", len(batch), scored)
    except KafkaException as e:
        log.error("Kafka error, nothing of the open batch is committed (it is read again on restart): %s", e)
        return 1
    finally:
        consumer.close()
    log.info("stopping: %d scored, %d undecodable skipped", scored, skipped)
    print("SCORED %d" % scored, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
