// @listen-to-yourself/core/avro: the Avro codec and its schema registry client, apart from the root entry so that
// a service on the JSON codec neither installs nor type-checks avsc and @kafkajs/confluent-schema-registry (optional
// peer dependencies: install both beside core to use this entry).
export { avroCodec } from './codec/avro-codec';
export { avroCodecDefaults } from './codec/avro-codec-options';
export type { AvroCodecOptions } from './codec/avro-codec-options';
export type { SubjectStrategy } from './codec/avro-subjects';
export type { Compatibility, RegistryInstance } from './codec/registry-client';
export type { AvroField, AvroSchema, AvroSchemaObject } from './codec/avro-schema';
export { zodToAvro } from './codec/zod-to-avro';
