// js-sheet: an external ddpp scorer in JavaScript (kafkajs + Confluent's @confluentinc/schemaregistry).
// Reads Candidates from ddpp.candidates, scores protein candidates with the Chou-Fasman rule of sheet.js and
// publishes one Score per candidate to ddpp.scores, keyed by candidate id, in the Confluent wire format with the
// latest registered ddpp.scores-value schema; a record that cannot be decoded goes to ddpp.dlq (DeadLetter).
// Scores, dead letters and the consumed offsets commit in one Kafka transaction, under the transactional id
// <group>-<instance id>, stable across restarts: a restarted instance fences its predecessor.
//   node scorer.js [--bootstrap-servers 127.0.0.1:9092] [--schema-registry http://127.0.0.1:8081]
//                  [--group ddpp-scorer-js-sheet] [--instance-id HOSTNAME] [--session-timeout 45]
//                  [--task protein] [--run RUN] [--candidates-topic ddpp.candidates]
//                  [--scores-topic ddpp.scores] [--dlq-topic ddpp.dlq]
//                  [--max-candidates N] [--max-seconds S]      (0: never stop)
'use strict';
const os = require('os');
const { Kafka, logLevel } = require('kafkajs');
const { SchemaRegistryClient, SerdeType, AvroSerializer, AvroDeserializer, RestError } = require('@confluentinc/schemaregistry');
const sheet = require('./sheet');

const NAME = 'js-sheet';
const VERSION = '1';
const DEFAULTS = {
  'bootstrap-servers': '127.0.0.1:9092', 'schema-registry': 'http://127.0.0.1:8081', group: 'ddpp-scorer-' + NAME,
  'instance-id': os.hostname().replace(/[^A-Za-z0-9._-]/g, '-') || '0', 'session-timeout': '45',
  task: 'protein', run: '', 'candidates-topic': 'ddpp.candidates', 'scores-topic': 'ddpp.scores', 'dlq-topic': 'ddpp.dlq',
  'max-candidates': '0', 'max-seconds': '0',
};
// The protein task of ddpp (org.ddpp.diffusion.task.ProteinTask): LENGTH tokens, id i < 20 is AMINO_ACIDS[i],
// PAD = 20 only after the last residue; the vocabulary is [0, 21) (MASK, 21, is outside it).
const AMINO_ACIDS = 'ACDEFGHIKLMNPQRSTVWY';
const PAD = AMINO_ACIDS.length;
const LENGTH = 64;
// Test only: seconds to sleep after writing a transaction's records and before committing it, so that a test can
// kill the scorer inside an open transaction. Never set it in production.
const PAUSE_BEFORE_COMMIT = Number(process.env.DDPP_SCORER_TEST_PAUSE_BEFORE_COMMIT || 0);

function options(argv) {
  const o = { ...DEFAULTS };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '');
    if (!(key in DEFAULTS) || i + 1 >= argv.length) {
      throw new Error('unknown option or missing value: ' + argv[i] + ' (options: --' + Object.keys(DEFAULTS).join(', --') + ')');
    }
    o[key] = argv[i + 1];
  }
  if (!(Number(o['session-timeout']) > 0)) throw new Error('--session-timeout must be a positive number of seconds');
  if (!/^[A-Za-z0-9._-]+$/.test(o['instance-id'])) {
    throw new Error(`--instance-id must be letters, digits, '.', '_' or '-', got ${JSON.stringify(o['instance-id'])}`);
  }
  return o;
}

/** Why candidate is not a sequence of the protein task (the reasons of ddpp's CandidateCheck), or null. */
function invalidReason({ tokens, text }) {
  if (tokens.length !== LENGTH) return `expected ${LENGTH} tokens, got ${tokens.length}`;
  const outside = tokens.findIndex((t) => !(t >= 0 && t <= PAD));
  if (outside >= 0) return `token ${tokens[outside]} at position ${outside} is outside the vocabulary [0, ${PAD + 1})`;
  if (tokens[0] === PAD) return 'no residues: the sequence starts with PAD';
  const residue = tokens.findIndex((t, i) => i > 0 && tokens[i - 1] === PAD && t !== PAD);
  if (residue >= 0) return `PAD at position ${residue - 1} comes before a residue`;
  const protein = tokens.filter((t) => t !== PAD).map((t) => AMINO_ACIDS[t]).join('');
  if (text !== protein) return `text ${JSON.stringify(text.slice(0, 80))} is not the rendering ${JSON.stringify(protein.slice(0, 80))} of the tokens`;
  return null;
}

function score(candidate, started) {
  const base = { candidateId: candidate.id, run: candidate.run, scorer: NAME, scorerVersion: VERSION, logReward: null };
  const reason = invalidReason(candidate);
  let verdict;
  if (reason === null) {
    const f = sheet.sheetFraction(candidate.text);
    verdict = { status: 'OK', logReward: Math.log(f + sheet.EPSILON), details: { sheet: f.toFixed(4), rule: 'Chou-Fasman CHOP780202' } };
  } else {
    verdict = { status: 'INVALID', details: { reason } };
  }
  return { ...base, ...verdict, latencyMicros: Math.round(Number(process.hrtime.bigint() - started) / 1000), scoredAt: Date.now() };
}

/** True when the registry did not answer (no HTTP answer, or 5xx): not the record's fault, so it is read again. */
function registryDown(e) {
  return e instanceof RestError ? e.status >= 500 : e.isAxiosError === true && !e.response;
}

/** { candidate } of record m, or { reason, error } why it holds none; throws when the registry is down. */
async function decode(deserializer, topic, m) {
  if (m.value === null) return { reason: 'candidate record without a value' };
  let c;
  try {
    c = await deserializer.deserialize(topic, m.value);
  } catch (e) {
    if (registryDown(e)) throw e; // abort and read it again: never dead-letter a good record
    return { reason: 'undecodable value: ' + e.message, error: e };
  }
  if (c === null || typeof c !== 'object' || !['id', 'run', 'task', 'tokens', 'text'].every((f) => f in c)) {
    return { reason: 'not a Candidate: ' + String(JSON.stringify(c)).slice(0, 200) };
  }
  return { candidate: c };
}

/** The DeadLetter (schemas/src/main/avro/DeadLetter.avsc) of record m of batch. */
function deadLetter(batch, m, reason, error) {
  const headers = [];
  for (const [key, values] of Object.entries(m.headers || {})) {
    for (const value of [].concat(values)) headers.push({ key, value: value == null ? null : Buffer.from(value) });
  }
  return {
    key: m.key, value: m.value, headers, sourceTopic: batch.topic, sourcePartition: batch.partition,
    sourceOffset: Number(m.offset), stage: 'scorer:' + NAME, reason, exceptionClass: error ? error.name : null, failedAt: Date.now(),
  };
}

async function main() {
  const o = options(process.argv.slice(2));
  const registry = new SchemaRegistryClient({ baseURLs: [o['schema-registry']] });
  const deserializer = new AvroDeserializer(registry, SerdeType.VALUE, {});
  const serializer = new AvroSerializer(registry, SerdeType.VALUE, { useLatestVersion: true, autoRegisterSchemas: false });
  for (const topic of [o['scores-topic'], o['dlq-topic']]) {
    await registry.getLatestSchemaMetadata(topic + '-value').catch((e) => {
      throw Object.assign(new Error(e.status === 404
        ? `no schema registered under ${topic}-value at ${o['schema-registry']}: start a ddpp role that registers ddpp's schemas first`
        : `schema registry ${o['schema-registry']} not reachable: ${e.message}`), { exitCode: 2 });
    });
  }
  const member = o.group + '-' + o['instance-id'];
  const kafka = new Kafka({ clientId: member, brokers: [o['bootstrap-servers']], logLevel: logLevel.ERROR });
  const consumer = kafka.consumer({ groupId: o.group, readUncommitted: false, sessionTimeout: Number(o['session-timeout']) * 1000 });
  const producer = kafka.producer({ transactionalId: member, idempotent: true, maxInFlightRequests: 1 });
  const maxCandidates = Number(o['max-candidates']);
  const maxSeconds = Number(o['max-seconds']);
  let scored = 0;
  let letters = 0;
  let stop;
  const stopped = new Promise((resolve) => { stop = resolve; });
  if (maxSeconds > 0) setTimeout(stop, maxSeconds * 1000);
  // SIGTERM (a container stop) and SIGINT: finish the batch in hand, commit or abort it, leave, exit 0
  process.once('SIGTERM', () => stop());
  process.once('SIGINT', () => stop());

  await producer.connect();
  // kafkajs takes the transactional id on its first transaction: take it now, before the consumer reads its
  // committed offsets, so that a predecessor with this id is fenced and its open transaction aborted first
  await (await producer.transaction()).abort();
  await consumer.connect();
  await consumer.subscribe({ topic: o['candidates-topic'], fromBeginning: true });
  console.error(`${NAME} ${VERSION} (${member}) scoring task ${o.task} from ${o['candidates-topic']} into ${o['scores-topic']}`);
  consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false, // a batch counts as read only once its transaction committed
    eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
      const txn = await producer.transaction();
      const scores = [];
      const dead = [];
      try {
        for (const m of batch.messages) {
          const started = process.hrtime.bigint();
          const { candidate, reason, error } = await decode(deserializer, batch.topic, m);
          if (!candidate) { // a record we cannot read: dead-letter it, never score it as anything
            console.error(`dead-lettering ${batch.topic}[${batch.partition}]@${m.offset}: ${reason}`);
            dead.push({ key: m.key, value: await serializer.serialize(o['dlq-topic'], deadLetter(batch, m, reason, error)) });
          } else if (candidate.task === o.task && (!o.run || candidate.run === o.run)) {
            const s = score(candidate, started);
            // the score goes to its candidate's partition number: the joiner needs the two topics co-partitioned
            scores.push({ key: s.candidateId, value: await serializer.serialize(o['scores-topic'], s), partition: batch.partition });
          }
        }
        if (dead.length) await txn.send({ topic: o['dlq-topic'], messages: dead });
        if (scores.length) {
          const written = await txn.send({ topic: o['scores-topic'], messages: scores });
          // kafkajs drops, without an error, messages for a partition the topic does not have
          if (!written.some((r) => r.partition === batch.partition)) {
            throw new Error(`${o['scores-topic']} has no partition ${batch.partition}: it needs as many as ${batch.topic}`);
          }
        }
        if (PAUSE_BEFORE_COMMIT > 0 && (scores.length || dead.length)) {
          console.error(`pausing ${PAUSE_BEFORE_COMMIT} s before committing ${scores.length} scores and ${dead.length} dead letters (test only)`);
          await new Promise((resolve) => setTimeout(resolve, PAUSE_BEFORE_COMMIT * 1000));
        }
        // kafkajs cannot send the consumer's group generation with the offsets (KIP-447), so the broker cannot
        // refuse a member the group has moved on from: a heartbeat right before committing makes such a member
        // fail here and abort
        await heartbeat();
        if (!isRunning() || isStale()) throw new Error('batch of a stopping consumer or a moved position: read again');
        const next = (BigInt(batch.lastOffset()) + 1n).toString();
        await txn.sendOffsets({ consumerGroupId: o.group, topics: [{ topic: batch.topic, partitions: [{ partition: batch.partition, offset: next }] }] });
        await txn.commit();
      } catch (e) { // nothing of the batch is committed: no scores, no dead letters, no offsets
        await txn.abort().then(
          () => console.error(`transaction of ${batch.messages.length} records aborted, reading them again: ${e.message}`),
          (abortError) => stop(new Error(`cannot abort the transaction (fenced by another instance with --instance-id `
            + `${o['instance-id']}? a restart with this id aborts it): ${abortError.message}`)));
        throw e; // kafkajs reads the batch again: none of its offsets is resolved
      }
      resolveOffset(batch.lastOffset());
      scored += scores.length;
      letters += dead.length;
      if (scores.length) console.error(`scored ${scores.length} candidates (${scored} in all)`);
      if (maxCandidates > 0 && scored >= maxCandidates) stop();
    },
  }).catch((e) => stop(e));
  const error = await stopped;
  await consumer.disconnect();
  await producer.disconnect();
  if (error) throw error;
  console.error(`stopping: ${scored} scored, ${letters} dead-lettered`);
  console.log('SCORED ' + scored);
}

module.exports = { invalidReason, decode }; // for tests

if (require.main === module) {
  main().then(() => process.exit(0)).catch((e) => {
    console.error(NAME + ': ' + (e && e.message ? e.message : e));
    process.exit(e && e.exitCode ? e.exitCode : 1);
  });
}
