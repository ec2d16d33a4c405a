// @listen-to-yourself/core/transport-kit: what an author of a Kafka transport needs, listed by hand.

export type {
  Batch,
  BatchControl,
  ConsumeOptions,
  Consumption,
  IncomingRecord,
  OffsetCommit,
  OutgoingRecord,
  ProduceOptions,
  TopicPartition,
  TopicSpec,
  Transport,
  TransportAdmin,
  TransportMessaging,
} from './transport/transport';
export type { RecordPosition } from './store/position';
export type { KafkaClientOptions } from './transport/kafka-transport-options';
export { partitionForKey } from './transport/partitioner';
// Building blocks the kafkajs transport is made of: linger-and-coalesce sends, and deferred answers.
export { createSendQueue } from './transport/send-queue';
export type { CoalescedSend } from './transport/send-queue';
export { createDeferrals } from './transport/deferrals';
export type { Deferrals } from './transport/deferrals';
export { normaliseHeaders } from './event/headers';
// Offsets committed in the background, one request per group, and a client batch turned into incoming records.
export { createOffsetCommitter, groupCommitters } from './transport/offset-committer';
export type { GroupCommitters, OffsetCommitter, PartitionOffset } from './transport/offset-committer';
export { incomingRecords } from './transport/incoming-records';
export type { ClientBatch } from './transport/incoming-records';
