// @kafkajs/confluent-schema-registry against ddpp's registry, run by ops' ConformanceTest.
//   node kafkajs-registry.js <registryUrl> <candidateSchemaFile> <subject> <javaEncodedCandidateHex>
// Registers the Candidate schema under the subject (must get the id Java got), decodes the Java-encoded
// candidate, encodes a new one for Java to decode, and round-trips a schema of its own.
'use strict';
const fs = require('fs');
const { SchemaRegistry, SchemaType } = require('@kafkajs/confluent-schema-registry');

const [registryUrl, schemaFile, subject, javaHex] = process.argv.slice(2);
const registry = new SchemaRegistry({ host: registryUrl });

async function main() {
  const { id } = await registry.register({ type: SchemaType.AVRO, schema: fs.readFileSync(schemaFile, 'utf8') }, { subject });
  console.log('REGISTERED ' + id);
  const fromJava = await registry.decode(Buffer.from(javaHex, 'hex'));
  console.log('DECODED ' + JSON.stringify(fromJava));
  const encoded = await registry.encode(id, { ...fromJava, id: fromJava.id + '-from-kafkajs', text: 'encoded by kafkajs' });
  console.log('ENCODED ' + encoded.toString('hex'));
  const probe = JSON.stringify({
    type: 'record', name: 'Probe', namespace: 'conformance.kafkajs', doc: 'kafkajs probe',
    fields: [{ name: 'n', type: 'int', doc: 'a number' }],
  });
  const probeId = (await registry.register({ type: SchemaType.AVRO, schema: probe }, { subject: 'conformance.kafkajs-value' })).id;
  const again = (await registry.register({ type: SchemaType.AVRO, schema: probe }, { subject: 'conformance.kafkajs-value' })).id;
  const roundTrip = await registry.decode(await registry.encode(probeId, { n: 42 }));
  console.log('PROBE ' + JSON.stringify({ probeId, again, roundTrip }));
}

main().then(() => process.exit(0)).catch((e) => { console.error('FAILED ' + (e && e.stack ? e.stack : e)); process.exit(1); });
