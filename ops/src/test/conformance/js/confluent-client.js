// Confluent's own JavaScript schema-registry client (@confluentinc/schemaregistry) with kafkajs, run by
// ops' ConformanceTest against ddpp's embedded broker and registry. Nothing of ddpp's is used here.
//   node confluent-client.js consume-candidate <brokers> <registryUrl> <topic> <candidateId>
//     -> prints "CANDIDATE <json>" for the candidate with that id (written by ddpp's Java producer)
//   node confluent-client.js produce-score <brokers> <registryUrl> <topic> <candidateId>
//     -> writes a Score for that candidate with the latest registered ddpp.scores-value schema, prints "PRODUCED"
'use strict';
const { Kafka, logLevel } = require('kafkajs');
const { SchemaRegistryClient, SerdeType, AvroSerializer, AvroDeserializer } = require('@confluentinc/schemaregistry');

const [mode, brokers, registryUrl, topic, candidateId] = process.argv.slice(2);
const kafka = new Kafka({ clientId: 'ddpp-conformance-js', brokers: [brokers], logLevel: logLevel.ERROR });
const registry = new SchemaRegistryClient({ baseURLs: [registryUrl] });
const guard = setTimeout(() => { console.error('gave up after 90 s'); process.exit(3); }, 90000);

async function consumeCandidate() {
  const deserializer = new AvroDeserializer(registry, SerdeType.VALUE, {});
  const consumer = kafka.consumer({ groupId: 'conformance-js-' + candidateId });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await new Promise((resolve, reject) => {
    consumer.run({
      eachMessage: async ({ message }) => {
        try {
          const candidate = await deserializer.deserialize(topic, message.value);
          if (candidate.id === candidateId) {
            console.log('CANDIDATE ' + JSON.stringify(candidate));
            resolve();
          }
        } catch (e) {
          reject(e);
        }
      },
    }).catch(reject);
  });
  await consumer.disconnect();
}

async function produceScore() {
  const serializer = new AvroSerializer(registry, SerdeType.VALUE, { useLatestVersion: true, autoRegisterSchemas: false });
  const score = {
    candidateId,
    run: 'run-js',
    scorer: 'js-length',
    scorerVersion: '2.0',
    status: 'OK',
    logReward: -0.5,
    details: { client: '@confluentinc/schemaregistry' },
    latencyMicros: 321,
    scoredAt: 1700000000999,
  };
  const value = await serializer.serialize(topic, score);
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic, messages: [{ key: candidateId, value }] });
  await producer.disconnect();
  console.log('PRODUCED ' + value.toString('hex'));
}

(mode === 'consume-candidate' ? consumeCandidate() : produceScore())
  .then(() => { clearTimeout(guard); process.exit(0); })
  .catch((e) => { console.error('FAILED ' + (e && e.stack ? e.stack : e)); process.exit(1); });
