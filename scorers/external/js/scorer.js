// js-sheet: an external ddpp scorer in JavaScript (kafkajs + Confluent's @confluentinc/schemaregistry).
// Reads Candidates from ddpp.candidates, scores protein candidates with the Chou-Fasman rule of sheet.js and
// publishes one Score per candidate to ddpp.scores, keyed by candidate id, in the Confluent wire format with the
// latest registered ddpp.scores-value schema. Scores and consumed offsets commit in one Kafka transaction.
//   node scorer.js [--bootstrap-servers 127.0.0.1:9092] [--schema-registry http://127.0.0.1:8081]
//                  [--group ddpp-scorer-js-sheet] [--task protein] [--run RUN]
//                  [--candidates-topic ddpp.candidates] [--scores-topic ddpp.scores]
//                  [--max-candidates N] [--max-seconds S]      (0: never stop)
'use strict';
const crypto = require('crypto');
const { Kafka, logLevel } = require('kafkajs');
const { SchemaRegistryClient, SerdeType, AvroSerializer, AvroDeserializer } = require('@confluentinc/schemaregistry');
const sheet = require('./sheet');

const NAME = 'js-sheet';
const VERSION = '1';
const DEFAULTS = {
  'bootstrap-servers': '127.0.0.1:9092', 'schema-registry': 'http://127.0.0.1:8081', group: 'ddpp-scorer-' + NAME,
  task: 'protein', run: '', 'candidates-topic': 'ddpp.candidates', 'scores-topic': 'ddpp.scores',
  'max-candidates': '0', 'max-seconds': '0',
};

function options(argv) {
  const o = { ...DEFAULTS };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '');
    if (!(key in DEFAULTS) || i + 1 >= argv.length) {
      throw new Error('unknown option or missing value: ' + argv[i] + ' (options: --' + Object.keys(DEFAULTS).join(', --') + ')');
    }
    o[key] = argv[i + 1];
  }
  return o;
}

function score(candidate, started) {
  const base = { candidateId: candidate.id, run: candidate.run, scorer: NAME, scorerVersion: VERSION, logReward: null };
  let verdict;
  if (sheet.isProtein(candidate.text)) {
    const f = sheet.sheetFraction(candidate.text);
    verdict = { status: 'OK', logReward: Math.log(f + sheet.EPSILON), details: { sheet: f.toFixed(4), rule: 'Chou-Fasman CHOP780202' } };
  } else {
    verdict = { status: 'INVALID', details: { reason: 'text is not a protein of the 20 standard amino acids: ' + JSON.stringify(String(candidate.text).slice(0, 80)) } };
  }
  return { ...base, ...verdict, latencyMicros: Math.round(Number(process.hrtime.bigint() - started) / 1000), scoredAt: Date.now() };
}

async function main() {
  const o = options(process.argv.slice(2));
  const registry = new SchemaRegistryClient({ baseURLs: [o['schema-registry']] });
  const deserializer = new AvroDeserializer(registry, SerdeType.VALUE, {});
  const serializer = new AvroSerializer(registry, SerdeType.VALUE, { useLatestVersion: true, autoRegisterSchemas: false });
  const kafka = new Kafka({ clientId: NAME, brokers: [o['bootstrap-servers']], logLevel: logLevel.ERROR });
  const consumer = kafka.consumer({ groupId: o.group, readUncommitted: false });
  const producer = kafka.producer({ transactionalId: o.group + '-' + crypto.randomUUID(), idempotent: true, maxInFlightRequests: 1 });
  const maxCandidates = Number(o['max-candidates']);
  const maxSeconds = Number(o['max-seconds']);
  let scored = 0;
  let undecodable = 0;
  let stop;
  const stopped = new Promise((resolve) => { stop = resolve; });
  if (maxSeconds > 0) setTimeout(stop, maxSeconds * 1000);

  await producer.connect();
  await consumer.connect();
  await consumer.subscribe({ topic: o['candidates-topic'], fromBeginning: true });
  console.error(`${NAME} ${VERSION} scoring task ${o.task} from ${o['candidates-topic']} into ${o['scores-topic']}`);
  consumer.run({
    autoCommit: false,
    eachBatch: async ({ batch }) => {
      const messages = [];
      for (const m of batch.messages) {
        const started = process.hrtime.bigint();
        let candidate;
        try {
          candidate = await deserializer.deserialize(batch.topic, m.value);
        } catch (e) { // a record we cannot read: say so loudly, never score it as anything
          console.error(`undecodable record at ${batch.topic}[${batch.partition}]@${m.offset} skipped: ${e.message}`);
          undecodable++;
          continue;
        }
        if (candidate.task !== o.task || (o.run && candidate.run !== o.run)) continue;
        const s = score(candidate, started);
        // the score goes to its candidate's partition number: the joiner needs the two topics co-partitioned
        messages.push({ key: s.candidateId, value: await serializer.serialize(o['scores-topic'], s), partition: batch.partition });
      }
      if (batch.messages.length === 0) return;
      const txn = await producer.transaction();
      try {
        if (messages.length) await txn.send({ topic: o['scores-topic'], messages });
        const next = (BigInt(batch.lastOffset()) + 1n).toString();
        await txn.sendOffsets({ consumerGroupId: o.group, topics: [{ topic: batch.topic, partitions: [{ partition: batch.partition, offset: next }] }] });
        await txn.commit();
      } catch (e) {
        await txn.abort();
        throw e;
      }
      scored += messages.length;
      if (messages.length) console.error(`scored ${messages.length} candidates (${scored} in all)`);
      if (maxCandidates > 0 && scored >= maxCandidates) stop();
    },
  }).catch((e) => stop(e));
  const error = await stopped;
  await consumer.disconnect();
  await producer.disconnect();
  if (error) throw error;
  console.error(`stopping: ${scored} scored, ${undecodable} undecodable skipped`);
  console.log('SCORED ' + scored);
}

main().then(() => process.exit(0)).catch((e) => {
  console.error(NAME + ': ' + (e && e.message ? e.message : e));
  process.exit(1);
});
