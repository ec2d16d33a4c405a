import { type RecordPosition } from '../../../packages/core/src/index';
import { decodeToken } from '../../../packages/core/src/service/token';
import { randomInt, sleep } from './env';

/** How one HTTP attempt ended. `connection` and `5xx` are the failures a caller may see; the rest are bugs. */
export type AttemptOutcome = 'acked' | 'connection' | '5xx' | 'client-timeout' | 'unexpected';

/** One command the load acknowledged: where its event is, per the receipt's consistency token. */
export interface AckedCommand {
  kind: 'create' | 'cancel';
  orderId: string;
  position: RecordPosition;
  /** The event ids the 202 named (a create's body lists them; a cancel's does not). */
  eventIds: string[];
  attempts: number;
}

/** What the load asked for: one order, its total, and whether it was cancelled after its create was acked. */
export interface PlannedOrder {
  key: string;
  orderId?: string;
  totalCents: number;
  cancel: boolean;
}

export interface LoadOptions {
  /** Base URLs of the instances taking traffic now; each attempt picks one at random. */
  targets: () => readonly string[];
  /** Commands to send (creates and cancels); the load ends when all are acked or `stop()` was called. @defaultValue no limit */
  commands?: number;
  /** Concurrent HTTP clients, each sending one command at a time. */
  clients: number;
  /** The steady rate of new commands (retries are paced by their own backoff). */
  ratePerSec: number;
  /** Every n-th order is cancelled by the same client right after its create was acked (per-key order). @defaultValue 5 */
  cancelEvery?: number;
  /** Makes idempotency keys unique to the run. */
  runId: string;
  /** Labels each attempt (e.g. `down` while a server is stopped), for the figures. */
  phase?: () => string;
  /** An attempt with no answer after this long counts as a client timeout and is retried. @defaultValue 60000 */
  requestTimeoutMs?: number;
  /** After `stop()`, a command still not acked this much later is given up (and the run fails). @defaultValue 120000 */
  giveUpAfterStopMs?: number;
}

export interface Attempt {
  outcome: AttemptOutcome;
  status?: number;
  error?: string;
  ms: number;
  /** The phase when the attempt began, and when its answer (or error) came. */
  phase: string;
  endPhase: string;
}

const catalog = ['SKU-BOOK', 'SKU-PEN', 'SKU-MUG', 'SKU-LAMP'];

/**
 * A steady load of CreateOrder (and some CancelOrder) commands over HTTP. A client retries a failed command with
 * the same Idempotency-Key until it is acked, so every planned command ends acked, and a command whose first try
 * was written but not acknowledged must still change the store once.
 */
export function startLoad(options: LoadOptions) {
  const orders: PlannedOrder[] = [];
  const acked: AckedCommand[] = [];
  const attempts: Attempt[] = [];
  let issued = 0;
  let stoppedAt: number | undefined;
  const abandoned: string[] = [];
  let nextSlot = Date.now();
  const timeoutMs = options.requestTimeoutMs ?? 60_000;
  const phase = options.phase ?? (() => 'steady');

  async function slot() {
    const now = Date.now();
    const at = Math.max(now, nextSlot);
    nextSlot = at + 1000 / options.ratePerSec;
    if (at > now) await sleep(at - now);
  }

  /** One HTTP attempt: the 202's body, or how it failed. */
  async function attempt(
    path: string,
    key: string,
    body: unknown,
  ): Promise<Record<string, unknown> | AttemptOutcome> {
    const targets = options.targets();
    if (targets.length === 0) {
      attempts.push({
        outcome: 'connection',
        error: 'no instance up',
        ms: 0,
        phase: phase(),
        endPhase: phase(),
      });
      return 'connection';
    }
    const target = targets[randomInt(0, targets.length - 1)]!;
    const label = phase();
    const t0 = performance.now();
    const done = (a: Omit<Attempt, 'ms' | 'phase' | 'endPhase'>) => {
      attempts.push({ ...a, ms: Math.round(performance.now() - t0), phase: label, endPhase: phase() });
      return a.outcome;
    };
    try {
      const res = await fetch(target + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await res.text();
      if (res.status === 202) {
        done({ outcome: 'acked', status: 202 });
        return JSON.parse(text) as Record<string, unknown>;
      }
      return done({
        outcome: res.status >= 500 ? '5xx' : 'unexpected',
        status: res.status,
        error: text.slice(0, 300),
      });
    } catch (err) {
      const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
      if (e.name === 'TimeoutError') return done({ outcome: 'client-timeout', error: e.message });
      return done({ outcome: 'connection', error: e.cause?.code ?? e.cause?.message ?? e.message });
    }
  }

  /**
   * Sends one command until it is acked. A stopped load still finishes the commands it began, but gives up on one
   * that is not acked `giveUpAfterStopMs` after the stop (a service that never recovers must not hang the test).
   */
  async function untilAcked(
    kind: AckedCommand['kind'],
    path: string,
    key: string,
    body: unknown,
    orderId?: string,
  ) {
    for (let n = 1; ; n++) {
      const json = await attempt(path, key, body);
      if (typeof json === 'object') {
        const [entry] = decodeToken(json.token as string);
        const cmd: AckedCommand = {
          kind,
          orderId: (json.orderId as string | undefined) ?? orderId!,
          position: entry!.position,
          eventIds: (json.eventIds as string[] | undefined) ?? [],
          attempts: n,
        };
        acked.push(cmd);
        return cmd;
      }
      // Neither a receipt nor a failure a caller may retry: the run fails (see `countAttempts`); stop here.
      if (json === 'unexpected') {
        abandoned.push(`${kind} ${key}: unexpected answer`);
        return undefined;
      }
      if (stoppedAt !== undefined && Date.now() - stoppedAt > (options.giveUpAfterStopMs ?? 120_000)) {
        abandoned.push(`${kind} ${key}: not acked ${options.giveUpAfterStopMs ?? 120_000} ms after the stop`);
        return undefined;
      }
      await sleep(Math.min(2000, 50 * 2 ** Math.min(n, 6)) + randomInt(0, 100));
    }
  }

  async function client(): Promise<void> {
    while (stoppedAt === undefined && issued < (options.commands ?? Infinity)) {
      const index = orders.length;
      const every = options.cancelEvery ?? 5;
      const cancel = index % every === every - 1;
      issued += cancel ? 2 : 1;
      const items = Array.from({ length: randomInt(1, 3) }, () => ({
        sku: catalog[randomInt(0, catalog.length - 1)]!,
        quantity: randomInt(1, 5),
        unitPriceCents: randomInt(1, 2500),
      }));
      const order: PlannedOrder = {
        key: `${options.runId}-${index}`,
        totalCents: items.reduce((s, i) => s + i.quantity * i.unitPriceCents, 0),
        cancel,
      };
      orders.push(order);
      await slot();
      const created = await untilAcked('create', '/orders', order.key, {
        customerId: `customer-${index % 97}`,
        items,
      });
      if (!created) return;
      order.orderId = created.orderId;
      if (cancel) {
        await slot();
        await untilAcked(
          'cancel',
          `/orders/${created.orderId}/cancel`,
          order.key,
          { reason: 'reliability' },
          created.orderId,
        );
      }
    }
  }

  const clients = Array.from({ length: options.clients }, () => client());
  const done = Promise.all(clients).then(() => undefined);
  return {
    orders,
    acked,
    attempts,
    /** Commands given up on after the stop (see `giveUpAfterStopMs`). */
    abandoned,
    done,
    /** Stops issuing new commands; commands under way still retry until acked. */
    stop: () => void (stoppedAt ??= Date.now()),
  };
}

export type Load = ReturnType<typeof startLoad>;

/** Counts the attempts by outcome. */
export function countAttempts(attempts: readonly Attempt[], filter: (a: Attempt) => boolean = () => true) {
  const out: Record<AttemptOutcome, number> = {
    acked: 0,
    connection: 0,
    '5xx': 0,
    'client-timeout': 0,
    unexpected: 0,
  };
  for (const a of attempts) if (filter(a)) out[a.outcome]++;
  return out;
}
