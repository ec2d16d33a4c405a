import { describe, expect, it } from 'vitest';
import { isLtyError } from '../errors/lty-error';
import { inMemoryStateStore } from '../store/in-memory-state-store';
import { idempotencyLedger } from './idempotency-ledger';
import { sendCheck } from './send-check';

const position = { topic: 't', partition: 0, offset: '0' };

async function ledgerHolding(key: string, fingerprint: string) {
  const store = inMemoryStateStore();
  const writer = idempotencyLedger({ store, service: 's' });
  await writer.claimMany([{ key, fingerprint, command: 'C', eventId: 'e1', position }]);
  // A second process: same store, empty cache.
  return { writer, fresh: idempotencyLedger({ store, service: 's' }) };
}

async function verdict(check: ReturnType<typeof sendCheck>, fingerprint: string) {
  check.onFingerprint(fingerprint);
  return (check.verify() ?? Promise.resolve()).then(
    () => 'ok',
    (err: unknown) => (isLtyError(err, 'LTY_IDEMPOTENCY_CONFLICT') ? 'conflict' : String(err)),
  );
}

describe('the send-time idempotency check', () => {
  it('refuses a key held by another fingerprint, from the store in a process that never saw it', async () => {
    const { fresh } = await ledgerHolding('k', 'fp-a');
    expect(await verdict(sendCheck(fresh, 'k', { readStore: true }), 'fp-b')).toBe('conflict');
    expect(await verdict(sendCheck(fresh, 'k', { readStore: true }), 'fp-a')).toBe('ok');
    expect(await verdict(sendCheck(fresh, 'new', { readStore: true }), 'fp-b')).toBe('ok');
  });

  it('with readStore false, looks at the process cache only', async () => {
    const { writer, fresh } = await ledgerHolding('k', 'fp-a');
    expect(await verdict(sendCheck(fresh, 'k', { readStore: false }), 'fp-b')).toBe('ok');
    expect(await verdict(sendCheck(writer, 'k', { readStore: false }), 'fp-b')).toBe('conflict');
  });
});
