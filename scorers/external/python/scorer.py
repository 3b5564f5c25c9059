"""garnier-sheet: an external ddpp scorer in Python, and the template for bringing your own scorer.

Reads Candidates from ddpp.candidates, predicts each protein's secondary structure with EMBOSS garnier, and
publishes one Score per protein candidate to ddpp.scores, keyed by candidate id, in the Confluent wire format
through the schema registry:
  OK       log R = log(max(sheet fraction, floor)), sheet fraction = residues predicted E / residues
  INVALID  not a valid sequence of the protein task (length, vocabulary, PAD only at the end: ddpp's
           CandidateCheck), or its text is not the rendering of its tokens
  FAILED   garnier could not be run or gave no prediction for it
Candidates of other tasks are skipped; records that cannot be decoded go to ddpp.dlq. Scores, dead letters and
the consumed offsets are committed in one Kafka transaction under a transactional id stable across restarts
(ddpp-scorer-garnier-sheet-<instance id>), and candidates are read read_committed, so each candidate is scored
once across crashes and restarts.

  /usr/bin/python3 scorer.py --bootstrap-servers 127.0.0.1:9092 --schema-registry http://127.0.0.1:8081
"""
import argparse
import datetime
import logging
import math
import os
import re
import signal
import socket
import sys
import time

import requests
from confluent_kafka import Consumer, KafkaException, Producer, TopicPartition
from confluent_kafka.avro import CachedSchemaRegistryClient
from confluent_kafka.avro.serializer.message_serializer import MessageSerializer

import garnier

NAME = "garnier-sheet"
VERSION = "1"
# The protein task of ddpp (org.ddpp.diffusion.task.ProteinTask): LENGTH tokens, id i < 20 is AMINO_ACIDS[i],
# PAD = 20 only after the last residue; the vocabulary is [0, 21) (MASK, 21, is outside it).
AMINO_ACIDS = "ACDEFGHIKLMNPQRSTVWY"
PAD = len(AMINO_ACIDS)
LENGTH = 64
# Test only: seconds to sleep after writing a transaction's records and before committing it, so that a test can
# kill the scorer inside an open transaction. Never set it in production.
PAUSE_BEFORE_COMMIT = float(os.environ.get("DDPP_SCORER_TEST_PAUSE_BEFORE_COMMIT", "0"))
log = logging.getLogger(NAME)


def default_instance_id():
    """This host's name, as ddpp scorer uses it: stable across restarts of a container or machine."""
    return re.sub(r"[^A-Za-z0-9._-]", "-", socket.gethostname()) or "0"


def options(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--bootstrap-servers", default="127.0.0.1:9092")
    p.add_argument("--schema-registry", default="http://127.0.0.1:8081")
    p.add_argument("--candidates-topic", default="ddpp.candidates")
    p.add_argument("--scores-topic", default="ddpp.scores")
    p.add_argument("--dlq-topic", default="ddpp.dlq", help="where undecodable records go (default: %(default)s)")
    p.add_argument("--group", default="ddpp-scorer-" + NAME, help="consumer group (default: %(default)s)")
    p.add_argument("--instance-id", default=default_instance_id(),
                   help="stable id of this instance: <group>-<instance id> is its transactional id and static group "
                        "member id. Give each concurrent instance its own; restart a crashed one with the same id "
                        "(default: the host name, %(default)s)")
    p.add_argument("--session-timeout", type=float, default=45,
                   help="seconds a crashed instance keeps its partitions unless restarted (default: %(default)s)")
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
    if not re.fullmatch(r"[A-Za-z0-9._-]+", a.instance_id):
        p.error("--instance-id must be letters, digits, '.', '_' or '-', got %r" % a.instance_id)
    return a


class RegistryDown(Exception):
    """The schema registry did not answer (no HTTP answer, or 5xx): not the record's fault, so it is read again."""


class Fatal(Exception):
    """The scorer must stop: its transaction can be neither committed nor aborted (fenced, or the broker gone)."""


class Registry(CachedSchemaRegistryClient):
    """The legacy client returns None for a 5xx as for an unknown id (404); this tells the two apart."""

    def _send_request(self, url, method="GET", body=None, headers={}):
        try:
            result, code = super()._send_request(url, method, body, headers)
        except requests.RequestException as e:
            raise RegistryDown("schema registry did not answer: %s" % e)
        if code >= 500:
            raise RegistryDown("schema registry answered %d" % code)
        return result, code


def invalid_reason(c):
    """Why candidate c is not a sequence of the protein task (the reasons of ddpp's CandidateCheck), or None."""
    tokens = c["tokens"]
    if len(tokens) != LENGTH:
        return "expected %d tokens, got %d" % (LENGTH, len(tokens))
    for i, t in enumerate(tokens):
        if not 0 <= t <= PAD:
            return "token %d at position %d is outside the vocabulary [0, %d)" % (t, i, PAD + 1)
    if tokens[0] == PAD:
        return "no residues: the sequence starts with PAD"
    for i in range(1, len(tokens)):
        if tokens[i - 1] == PAD and tokens[i] != PAD:
            return "PAD at position %d comes before a residue" % (i - 1)
    protein = "".join(AMINO_ACIDS[t] for t in tokens if t != PAD)
    if c["text"] != protein:
        return "text %r is not the rendering %r of the tokens" % (c["text"][:80], protein[:80])
    return None


def score_batch(candidates, a):
    """candidates: decoded Candidate dicts. Returns one Score dict per candidate, same order."""
    started = time.monotonic()
    invalid = {c["id"]: invalid_reason(c) for c in candidates}
    proteins = [c for c in candidates if invalid[c["id"]] is None]
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
        if invalid[c["id"]] is not None:
            score.update(status="INVALID", details={"reason": invalid[c["id"]]})
        elif c["id"] in predicted:
            f = predicted[c["id"]]
            score.update(status="OK", logReward=math.log(max(f["E"], a.floor)),
                         details={"sheet": "%.4f" % f["E"], "helix": "%.4f" % f["H"], "predictor": "EMBOSS garnier"})
        else:
            score.update(status="FAILED", details={"reason": failure})
        scores.append(score)
    return scores


def dead_letter(m, reason, error):
    """The DeadLetter (schemas/src/main/avro/DeadLetter.avsc) of consumed record m."""
    return {"key": m.key(), "value": m.value(),
            "headers": [{"key": k, "value": v} for k, v in (m.headers() or [])],
            "sourceTopic": m.topic(), "sourcePartition": m.partition(), "sourceOffset": m.offset(),
            "stage": "scorer:" + NAME, "reason": reason,
            "exceptionClass": None if error is None else type(error).__module__ + "." + type(error).__qualname__,
            "failedAt": datetime.datetime.now(datetime.timezone.utc)}


def decode(serializer, m):
    """(candidate, None, None), or (None, why m is no candidate, the exception); raises RegistryDown."""
    try:
        c = serializer.decode_message(m.value())
    except RegistryDown:
        raise  # not the record's fault: abort and read it again, never dead-letter a good record
    except Exception as e:
        return None, "undecodable value: %s" % e, e
    if c is None:
        return None, "candidate record without a value", None
    if not isinstance(c, dict) or any(f not in c for f in ("id", "run", "task", "tokens", "text")):
        return None, "not a Candidate: %s" % str(c)[:200], None
    return c, None, None


def transact(records, a, consumer, producer, serializer, schemas):
    """Scores and dead-letters records, and commits that with their offsets in one transaction, or aborts it and
    raises. Returns (scores, dead letters) written."""
    producer.begin_transaction()
    try:
        batch, partitions, letters = [], [], 0
        for m in records:
            c, reason, error = decode(serializer, m)
            if c is None:  # a record we cannot read: dead-letter it, never score it as anything
                log.error("dead-lettering %s[%d]@%d: %s", m.topic(), m.partition(), m.offset(), reason)
                value = serializer.encode_record_with_schema(a.dlq_topic, schemas[a.dlq_topic], dead_letter(m, reason, error))
                producer.produce(a.dlq_topic, key=m.key(), value=value)
                letters += 1
            elif c["task"] == a.task and (a.run is None or c["run"] == a.run):
                batch.append(c)
                partitions.append(m.partition())  # the joiner needs a score in its candidate's partition number
        for s, partition in zip(score_batch(batch, a), partitions):
            value = serializer.encode_record_with_schema(a.scores_topic, schemas[a.scores_topic], s)
            producer.produce(a.scores_topic, key=s["candidateId"].encode("utf-8"), value=value, partition=partition)
        if PAUSE_BEFORE_COMMIT > 0 and (batch or letters):
            producer.flush(30)
            log.warning("pausing %g s before committing %d scores and %d dead letters (test only)",
                        PAUSE_BEFORE_COMMIT, len(batch), letters)
            time.sleep(PAUSE_BEFORE_COMMIT)
        ends = {(m.topic(), m.partition()): m.offset() + 1 for m in records}
        producer.send_offsets_to_transaction([TopicPartition(t, p, o) for (t, p), o in ends.items()],
                                             consumer.consumer_group_metadata(), 30)
        producer.commit_transaction(30)
        return len(batch), letters
    except BaseException:
        try:
            producer.abort_transaction(30)  # nothing of the batch is committed: no scores, no dead letters, no offsets
        except KafkaException as e:
            raise Fatal("cannot abort the transaction (a restart with the same --instance-id aborts it): %s" % e)
        raise


def rewind(consumer, records):
    """After an aborted transaction: back to each partition's first record of the batch, to read it again."""
    firsts = {}
    for m in records:
        firsts.setdefault((m.topic(), m.partition()), m.offset())
    for (topic, partition), offset in firsts.items():
        try:
            consumer.seek(TopicPartition(topic, partition, offset))
        except KafkaException:
            pass  # revoked meanwhile: its next owner reads it from the committed offset


def main(argv):
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s - %(message)s")
    a = options(argv)
    registry = Registry({"url": a.schema_registry})
    serializer = MessageSerializer(registry)
    # the client logs a 404 itself; the line below says what it means
    logging.getLogger("confluent_kafka.avro.cached_schema_registry_client").setLevel(logging.CRITICAL)
    schemas = {}
    for topic in (a.scores_topic, a.dlq_topic):
        try:
            _, schemas[topic], _ = registry.get_latest_schema(topic + "-value")
        except Exception as e:  # unreachable registry: one line, not a traceback
            log.error("schema registry %s not reachable: %s", a.schema_registry, str(e).splitlines()[0][:300])
            return 2
        if schemas[topic] is None:
            log.error("no schema registered under %s-value at %s: start a ddpp role that registers ddpp's schemas "
                      "first", topic, a.schema_registry)
            return 2
    member = "%s-%s" % (a.group, a.instance_id)
    consumer = Consumer({"bootstrap.servers": a.bootstrap_servers, "group.id": a.group, "group.instance.id": member,
                         "session.timeout.ms": int(a.session_timeout * 1000),
                         "auto.offset.reset": "earliest", "enable.auto.commit": False,
                         "isolation.level": "read_committed"})
    producer = Producer({"bootstrap.servers": a.bootstrap_servers, "transactional.id": member})
    try:
        producer.init_transactions(30)  # fences a predecessor with this id: its open transaction is aborted
    except KafkaException as e:
        log.error("Kafka at %s not usable for transactions: %s", a.bootstrap_servers, e)
        consumer.close()
        return 2
    consumer.subscribe([a.candidates_topic])
    deadline = time.monotonic() + a.max_seconds if a.max_seconds > 0 else None
    scored = letters = 0
    stopping = []
    # SIGTERM (a container stop) and SIGINT: finish the transaction in hand (commit or abort), leave, exit 0
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda signum, frame: stopping.append(signum))
    log.info("%s %s (%s) scoring task %s from %s into %s", NAME, VERSION, member, a.task, a.candidates_topic,
             a.scores_topic)
    try:
        while not stopping and (a.max_candidates <= 0 or scored < a.max_candidates) \
                and (deadline is None or time.monotonic() < deadline):
            records = []
            for m in consumer.consume(num_messages=a.batch_size, timeout=0.5):
                if m.error() is None:
                    records.append(m)
                elif m.error().fatal():
                    raise KafkaException(m.error())
                else:
                    log.warning("consumer: %s", m.error())
            if not records:
                continue
            try:
                s, d = transact(records, a, consumer, producer, serializer, schemas)
            except (KafkaException, RegistryDown) as e:
                if isinstance(e, KafkaException) and e.args[0].fatal():
                    raise
                log.warning("transaction of %d records aborted, reading them again: %s", len(records), e)
                rewind(consumer, records)
                time.sleep(0.5)
                continue
            scored += s
            letters += d
            if s:
                log.info("scored %d candidates (%d in all)", s, scored)
    except (KafkaException, Fatal) as e:
        log.error("stopping on a fatal Kafka error (another instance with --instance-id %s started?): %s",
                  a.instance_id, e)
        return 1
    finally:
        consumer.close()
    log.info("stopping: %d scored, %d dead-lettered", scored, letters)
    print("SCORED %d" % scored, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
