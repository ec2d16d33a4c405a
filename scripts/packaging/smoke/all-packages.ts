// Every published package's root entry (and core's kits for adapter and transport authors), so the strict type-check reads all their declarations and the run loads
// all their JavaScript (the optional peers, librdkafka and the Avro libraries, are not installed).
import * as cassandra from '@listen-to-yourself/cassandra';
import * as mongo from '@listen-to-yourself/mongo';
import * as transportConfluent from '@listen-to-yourself/transport-confluent';
import type { StateStore } from '@listen-to-yourself/core';
import * as storeKit from '@listen-to-yourself/core/store-kit';
import * as transportKit from '@listen-to-yourself/core/transport-kit';
import type { describeStateStoreContract } from '@listen-to-yourself/testkit';

export type ContractSuite = typeof describeStateStoreContract;
export type Store = StateStore;
export type KitStore = storeKit.StateStore;
export type KitTransport = transportKit.Transport;

export function packagesLoaded(): number {
  const entries = [
    cassandra.cassandraStateStore,
    mongo.mongoStateStore,
    transportConfluent.confluentTransport,
  ];
  const kits = [
    storeKit.parseOptions,
    storeKit.runPerEntity,
    transportKit.createSendQueue,
    transportKit.partitionForKey,
  ];
  if ([...entries, ...kits].some((e) => typeof e !== 'function'))
    throw new Error('a package entry did not load');
  return entries.length + 2;
}
