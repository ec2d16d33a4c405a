import { isLtyError } from '@listen-to-yourself/core';
import { type ApplyChange } from '@listen-to-yourself/core/store-kit';
import type { PoolClient } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresStateStore } from './postgres-state-store';
import { freshSchema, postgresUrl } from './test-helpers';

const { schema } = freshSchema('unstorable');
const store = postgresStateStore({ connectionString: postgresUrl, max: 2 }, { schema });

beforeAll(() => store.init());
afterAll(() => store.close());

function change(id: string, offset: number, note: string): ApplyChange<{ note: string }, PoolClient> {
  return {
    entity: { type: 'note', id },
    eventId: `${id}-${offset}`,
    position: { topic: 'notes', partition: 0, offset: String(offset) },
    update: () => ({ note }),
  };
}

// jsonb cannot hold U+0000: no attempt can ever store such a state, so the subscriber must dead-letter it at once
// instead of spending its handler attempts (the error is not retriable and not transient).
describe('state the database can never store', () => {
  it('apply fails with NonRetryableError carrying the SQLSTATE, and stores nothing', async () => {
    const err = await store.apply(change('n-1', 1, 'a\u0000b')).catch((e: unknown) => e);
    expect(isLtyError(err, 'LTY_NON_RETRYABLE')).toBe(true);
    expect((err as Error).message).toMatch(/SQLSTATE 22P05/);
    expect((err as { retriable: boolean }).retriable).toBe(false);
    expect(await store.get({ type: 'note', id: 'n-1' })).toBeUndefined();
  });

  it('in a batch, the changes before it are applied and the bad one fails alone', async () => {
    const err = await store
      .applyBatch([change('n-2', 1, 'fine'), change('n-3', 2, 'bad\u0000'), change('n-4', 3, 'after')])
      .catch((e: unknown) => e);
    expect(isLtyError(err, 'LTY_NON_RETRYABLE')).toBe(true);
    expect((await store.get<{ note: string }>({ type: 'note', id: 'n-2' }))?.state).toEqual({ note: 'fine' });
    expect(await store.get({ type: 'note', id: 'n-3' })).toBeUndefined();
    // The store stops at the failing change; the subscriber applies what follows after dead-lettering it.
    expect(await store.get({ type: 'note', id: 'n-4' })).toBeUndefined();
  });
});
