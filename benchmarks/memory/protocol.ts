// Messages between benchmarks/memory/rss.ts and its load children (Node IPC, structured clone).

/** Parent to child. */
export type Command = 'go' | 'sample' | 'stop';

export interface Sample {
  /** process.memoryUsage() of the child, bytes. */
  readonly rss: number;
  readonly heapUsed: number;
  readonly heapTotal: number;
  /** Commands sent, acknowledged, failed and events applied since 'go'. */
  readonly sent: number;
  readonly acked: number;
  readonly failed: number;
  readonly applied: number;
}

/** Child to parent. */
export type Reply =
  | { readonly kind: 'ready' }
  | ({ readonly kind: 'sample' } & Sample)
  | { readonly kind: 'done' }
  | { readonly kind: 'error'; readonly message: string };
