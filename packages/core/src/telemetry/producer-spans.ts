import type { Span } from '@opentelemetry/api';
import type { RecordPosition } from '../store/position';
import { ATTR, type Attributes } from './attributes';
import { inSpan } from './spans';

function sendAttributes(topic: string, count: number | undefined, extra: Attributes): Attributes {
  return {
    [ATTR.system]: 'kafka',
    [ATTR.operationType]: 'send',
    [ATTR.operationName]: 'send',
    [ATTR.destination]: topic,
    ...(count !== undefined && count > 1 ? { [ATTR.batchCount]: count } : {}),
    ...extra,
  };
}

function notePositions(
  span: Span | undefined,
  eventIds: readonly string[],
  positions: readonly RecordPosition[],
) {
  if (!span) return;
  if (positions.length !== 1) {
    span.setAttribute(ATTR.batchCount, positions.length);
    return;
  }
  span.setAttributes({
    [ATTR.partition]: String(positions[0]!.partition),
    [ATTR.offset]: Number(positions[0]!.offset),
    ...(eventIds[0] ? { [ATTR.messageId]: eventIds[0] } : {}),
  });
}

/**
 * A command's send in a PRODUCER span `send <topic>`: validation, conversion and the produce. Its records carry
 * the span's context in `traceparent` (see `encodeEvents`).
 */
export function traceSend<R extends { eventIds: readonly string[]; positions: readonly RecordPosition[] }>(
  service: string,
  topic: string,
  command: string,
  fn: () => Promise<R>,
): Promise<R> {
  const attributes = () =>
    sendAttributes(topic, undefined, { [ATTR.service]: service, [ATTR.command]: command });
  return inSpan(`send ${topic}`, { kind: 'producer', attributes }, async (span) => {
    const receipt = await fn();
    notePositions(span, receipt.eventIds, receipt.positions);
    return receipt;
  });
}

/** A handler's follow-up events in a PRODUCER span under the record's CONSUMER span. */
export function traceFollowUps<T>(
  service: string,
  topics: readonly string[],
  count: number,
  fn: () => Promise<T>,
): Promise<T> {
  const topic = topics.join(',');
  const attributes = () => sendAttributes(topic, count, { [ATTR.service]: service });
  return inSpan(`send ${topic}`, { kind: 'producer', attributes }, fn);
}
