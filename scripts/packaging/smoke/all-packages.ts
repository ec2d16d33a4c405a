// Every published package's root entry, so the strict type-check reads all their declarations and the run loads
// all their JavaScript (the optional peers, librdkafka and the Avro libraries, are not installed).
import * as cassandra from '@listen-to-yourself/cassandra';
import * as mongo from '@listen-to-yourself/mongo';
import * as transportConfluent from '@listen-to-yourself/transport-confluent';
import type { StateStore } from '@listen-to-yourself/core';
import type { describeStateStoreContract } from '@listen-to-yourself/testkit';

export type ContractSuite = typeof describeStateStoreContract;
export type Store = StateStore;

export function packagesLoaded(): number {
  const entries = [
    cassandra.cassandraStateStore,
    mongo.mongoStateStore,
    transportConfluent.confluentTransport,
  ];
  if (entries.some((e) => typeof e !== 'function')) throw new Error('a package entry did not load');
  return entries.length + 2;
}
