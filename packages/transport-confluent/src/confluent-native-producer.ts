import { TransportError } from '@listen-to-yourself/core';
import type { OutgoingRecord, RecordPosition } from '@listen-to-yourself/core/transport-kit';
import type { ConfluentDeliveryReport, ConfluentLibrary, ConfluentNativeProducer } from './confluent-client';
import { nonNull } from './confluent-produce';
import { ProduceCall, settleReport, type ProduceOpaque } from './produce-call';

/** The plain producer: one position per record, from each record's own delivery report. */
export interface NativeProducer {
  /**
   * Queues the records in order (librdkafka keeps the order per partition and batches them by `linger.ms`) and
   * resolves with one position per record once the broker acknowledged each with acks=all. Rejects with
   * `fail(err)` on the first record that fails, or with `timeoutError()` after `timeoutMs`.
   */
  produce(records: readonly OutgoingRecord[]): Promise<RecordPosition[]>;
  /** Flushes what is queued (within `flushTimeoutMs`), disconnects, and fails the calls still waiting. */
  close(): Promise<void>;
}

export interface NativeProducerOptions {
  readonly timeoutMs: number;
  readonly flushTimeoutMs: number;
  readonly timeoutError: () => TransportError;
  /** Maps a client error to what the caller gets (and replaces the producer if it is broken). */
  readonly fail: (err: unknown) => TransportError;
}

/** Creates and connects a producer on the library's native API with `config` (see `nativeProducerConfig`). */
export async function connectNativeProducer(
  library: ConfluentLibrary,
  config: Record<string, unknown>,
  o: NativeProducerOptions,
): Promise<NativeProducer> {
  const client: ConfluentNativeProducer = new library.Producer(config);
  // The calls waiting for reports, so that a close fails the ones it could not flush instead of leaving them.
  const waiting = new Set<ProduceCall>();
  client.on('delivery-report', (err: Error | null, report: ConfluentDeliveryReport) =>
    settleReport(err, report, o.fail),
  );
  await new Promise<void>((resolve, reject) =>
    client.connect(null, (err) => (err ? reject(err) : resolve())),
  );
  client.setPollInBackground(true);

  function produce(records: readonly OutgoingRecord[]): Promise<RecordPosition[]> {
    const call = new ProduceCall(records, waiting, o.timeoutMs, o.timeoutError);
    for (let i = 0; i < records.length && !call.settled; i++) {
      const r = records[i]!;
      // The opaque comes back with the record's delivery report: a single record's is the call itself.
      const opaque: ProduceOpaque = records.length === 1 ? call : { call, index: i };
      try {
        client.produce(r.topic, r.partition, nonNull(r.value), r.key, null, opaque, headersOf(r.headers));
      } catch (err) {
        call.fail(o.fail(err));
      }
    }
    return call.promise;
  }

  return {
    produce,
    async close() {
      await new Promise<void>((resolve) => client.disconnect(o.flushTimeoutMs, () => resolve()));
      for (const call of [...waiting]) {
        call.fail(
          new TransportError('produce: the producer closed before the broker acknowledged', {
            retriable: true,
          }),
        );
      }
    },
  };
}

/** The native API's headers: one object per header. */
function headersOf(headers: Readonly<Record<string, string>>): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  for (const name in headers) {
    // Assigned rather than a computed key in a literal, which V8 builds several times slower.
    const header: Record<string, string> = {};
    header[name] = headers[name]!;
    out.push(header);
  }
  return out;
}
