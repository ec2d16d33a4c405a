// The declaration of the untyped kafkajs module must come along into every program that compiles this file (the
// docs' type-check takes the sources without this package's tsconfig), which an import cannot do for a .d.ts.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./kafkajs-internals.d.ts" />
import RequestQueue from 'kafkajs/src/network/requestQueue/index.js';

/** The part of kafkajs' per-connection request queue this module touches. */
interface RequestQueueInternals {
  pending: readonly unknown[];
  throttledUntil: number;
  scheduleCheckPendingRequests: (this: RequestQueueInternals) => void;
}

const FIXED = Symbol.for('listen-to-yourself.kafkajs-request-queue-fixed');

/**
 * kafkajs 2.2.4, its last release, re-arms a 1 ms timer on every broker connection for as long as the connection
 * lives, once it answered a first request, whether or not a request waits (tulios/kafkajs#1704): some 3,600
 * wake-ups a second for a service's handful of connections, a few per cent of a core while it does nothing, and
 * on Node 24 a TimeoutNegativeWarning on stderr at start (tulios/kafkajs#1751). After this, the check is
 * scheduled only when it has something to do: a request waits, or the broker throttles the connection; both are
 * scheduled exactly as before. Patches the class once per process, for every kafkajs client in it.
 */
export function fixKafkajsRequestQueue(): void {
  const proto = (RequestQueue as { prototype: RequestQueueInternals & { [FIXED]?: true } }).prototype;
  if (proto[FIXED]) return;
  const schedule = proto.scheduleCheckPendingRequests;
  proto.scheduleCheckPendingRequests = function (this: RequestQueueInternals) {
    if (this.pending.length === 0 && this.throttledUntil <= Date.now()) return;
    schedule.call(this);
  };
  proto[FIXED] = true;
}
