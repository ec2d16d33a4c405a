import type { PreparedEvent } from '../command/prepare-command';
import type { RecordPosition } from '../store/position';
import type { Receipt } from './service-types';
import { encodeToken } from './token';

/**
 * A send's receipt. Its token is encoded when first read, then kept: a caller that never reads it (a fire-and-
 * forget send, a benchmark) does not pay for JSON and base64 per command. `token` is an own enumerable property
 * (a getter shared by every receipt, so receipts keep one shape), so spreading a receipt, `Object.keys()` and
 * `JSON.stringify()` see it as before.
 */
class SendReceipt implements Receipt {
  declare readonly token: string;
  // What the token needs and nothing more: a receipt held on to does not keep the payloads alive.
  #keys: readonly string[];
  #types: readonly string[];
  #token: string | undefined;

  constructor(
    readonly eventIds: readonly string[],
    readonly positions: readonly RecordPosition[],
    keys: readonly string[],
    types: readonly string[],
  ) {
    this.#keys = keys;
    this.#types = types;
    Object.defineProperty(this, 'token', TOKEN);
  }

  static tokenOf(receipt: SendReceipt): string {
    receipt.#token ??= encodeToken(
      receipt.positions.map((position, i) => ({
        position,
        key: receipt.#keys[i]!,
        type: receipt.#types[i]!,
        eventId: receipt.eventIds[i],
      })),
    );
    return receipt.#token;
  }
}

const TOKEN: PropertyDescriptor = Object.freeze({
  enumerable: true,
  configurable: false,
  get(this: SendReceipt) {
    return SendReceipt.tokenOf(this);
  },
});

export function receiptOf(events: readonly PreparedEvent[], positions: readonly RecordPosition[]): Receipt {
  if (events.length === 1) {
    const e = events[0]!;
    return new SendReceipt([e.id], positions, [e.key], [e.definition.type]);
  }
  return new SendReceipt(
    events.map((e) => e.id),
    positions,
    events.map((e) => e.key),
    events.map((e) => e.definition.type),
  );
}
