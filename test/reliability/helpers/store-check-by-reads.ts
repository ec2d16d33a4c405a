import { openStore, storeSettingsFromEnv, type StoreKind } from '../../../examples/example-support/src/index';
import type { StateStore } from '../../../packages/core/src/index';
import { sleep } from './env';
import type { PlannedOrder } from './load';
import { emptyCheck, type ExpectedOrder, type StoreCheck } from './store-check';

interface OrderState {
  totalCents: number;
  history: string[];
}

/**
 * The store check for stores whose tables the test does not read (Cassandra, MongoDB/FerretDB): each order read
 * through the store adapter, as the service reads it. Waits until the versions add up to the expected events (or
 * `timeoutMs` passes). An order's version counts its applied changes, so a version above its events is a double
 * effect and one below is a loss; its history must be the acked commands' (CONFIRMED, then CANCELLED). Event ids
 * are not visible this way: the Postgres check (`checkStore`) also proves each is recorded once. `planned` orders
 * that no acked command made must not be in the store.
 */
export async function checkStoreByReads(
  kind: StoreKind,
  namespace: string,
  expected: readonly ExpectedOrder[],
  planned: readonly PlannedOrder[],
  timeoutMs = 180_000,
): Promise<StoreCheck> {
  const { store } = openStore({ ...storeSettingsFromEnv(), kind }, namespace);
  const expectedEvents = expected.reduce((n, o) => n + o.eventIds.length, 0);
  try {
    let states = await readAll(store, expected);
    const deadline = Date.now() + timeoutMs;
    while (sumVersions(states, expected) < expectedEvents && Date.now() < deadline) {
      await sleep(2000);
      states = await readAll(store, expected);
    }
    const check = tally(expected, states, expectedEvents);
    const expectedIds = new Set(expected.map((o) => o.orderId));
    for (const p of planned) {
      if (!p.orderId || expectedIds.has(p.orderId)) continue;
      if (await store.get({ type: 'order', id: p.orderId })) check.extraOrders++;
    }
    return check;
  } finally {
    await store.close();
  }
}

type Read = { state: OrderState; version: number } | undefined;

async function readAll(store: StateStore, expected: readonly ExpectedOrder[]): Promise<Read[]> {
  const out: Read[] = [];
  // A few reads at a time: the check must not be what slows the store down.
  for (let i = 0; i < expected.length; i += 16) {
    const part = expected.slice(i, i + 16);
    out.push(
      ...(await Promise.all(part.map((o) => store.get<OrderState>({ type: 'order', id: o.orderId })))),
    );
  }
  return out;
}

function sumVersions(states: readonly Read[], expected: readonly ExpectedOrder[]): number {
  return states.reduce((n, s, i) => n + Math.min(s?.version ?? 0, expected[i]!.eventIds.length), 0);
}

/** Counts losses, double effects and wrong orders from each order's stored version and history. */
export function tally(expected: readonly ExpectedOrder[], states: readonly Read[], expectedEvents: number) {
  const check = emptyCheck(expectedEvents);
  expected.forEach((o, i) => {
    check.sumExpected += o.totalCents;
    const row = states[i];
    const events = o.eventIds.length;
    const found = Math.min(row?.version ?? 0, events);
    check.applied += found;
    check.lost += events - found;
    if (!row) return;
    check.sumStored += row.state.totalCents;
    if (row.state.totalCents !== o.totalCents) check.wrongTotal++;
    const want = events === 2 ? ['CONFIRMED', 'CANCELLED'] : ['CONFIRMED'];
    if (row.version > events || row.state.history.length > want.length) check.doubled++;
    else if (found === events && row.state.history.join() !== want.join()) check.outOfOrder++;
  });
  return check;
}
