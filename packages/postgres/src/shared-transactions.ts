/** One caller's items, waiting for the next shared transaction. */
interface Waiting<T, R> {
  readonly items: readonly T[];
  readonly alone: () => Promise<R[]>;
  readonly resolve: (results: R[]) => void;
  readonly reject: (err: unknown) => void;
}

/**
 * Submits one caller's items: they share a transaction with the items of the other callers that submit in the
 * same turn of the event loop, and the promise gets this caller's results, in its items' order.
 */
export type Submit<T, R> = (items: readonly T[], alone: () => Promise<R[]>) => Promise<R[]>;

/**
 * Shares transactions between concurrent callers. The partitions of one fetch each apply their batch at about
 * the same time; each in a transaction of its own, they cost the database a round trip or two apiece, and on a
 * busy machine every round trip is a wake-up of two processes. Here the items submitted within one turn of the
 * event loop go to `together` in one call of at most `maxItems` items. A caller with `maxItems` items or more
 * runs `alone` at once, and one that was alone in its turn runs `alone` too.
 *
 * When `together` fails, each caller's items run again on their own (`alone`): the caller gets exactly what it
 * would have got without sharing (its results, or the error of its own failing item), and one caller's failing
 * item costs the others one more try, never their outcome.
 */
export function sharedTransactions<T, R>(
  together: (items: readonly T[]) => Promise<R[]>,
  maxItems: number,
): Submit<T, R> {
  let queue: Waiting<T, R>[] = [];

  const runAlone = (w: Waiting<T, R>) => void w.alone().then(w.resolve, w.reject);

  async function run(group: readonly Waiting<T, R>[]): Promise<void> {
    if (group.length === 1) return runAlone(group[0]!);
    let results: R[];
    try {
      results = await together(group.flatMap((w) => w.items));
    } catch {
      for (const w of group) runAlone(w);
      return;
    }
    let at = 0;
    for (const w of group) {
      w.resolve(results.slice(at, at + w.items.length));
      at += w.items.length;
    }
  }

  function flush(): void {
    const waiting = queue;
    queue = [];
    let group: Waiting<T, R>[] = [];
    let size = 0;
    for (const w of waiting) {
      if (size + w.items.length > maxItems && group.length > 0) {
        void run(group);
        group = [];
        size = 0;
      }
      group.push(w);
      size += w.items.length;
    }
    if (group.length > 0) void run(group);
  }

  return (items, alone) => {
    if (items.length >= maxItems) return alone();
    return new Promise<R[]>((resolve, reject) => {
      queue.push({ items, alone, resolve, reject });
      // After the I/O callbacks of this turn: the other partitions of the same fetch have submitted by then.
      if (queue.length === 1) setImmediate(flush);
    });
  };
}
