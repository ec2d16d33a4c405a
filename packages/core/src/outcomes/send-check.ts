import { IdempotencyConflictError } from '../errors/outcome-errors';
import type { IdempotencyLedger } from './idempotency-ledger';

/** The send-time half of "one key, one input": reads only, never writes. */
export interface SendCheck {
  /** Starts looking the key up (cache, else one store read), in parallel with `validate()` and encoding. */
  readonly onFingerprint: (fingerprint: string) => void;
  /**
   * Rejects with IdempotencyConflictError when the key is known to hold another input; call before producing.
   * Undefined when there is nothing to wait for (no key, or no lookup started): no promise for the common send.
   */
  verify(): Promise<void> | undefined;
}

// Without a key there is nothing to look up: one shared check for every such send.
const NO_CHECK: SendCheck = Object.freeze({
  onFingerprint: () => undefined,
  verify: () => undefined,
});

export function sendCheck(
  ledger: IdempotencyLedger | undefined,
  key: string | undefined,
  options: { readonly readStore: boolean },
): SendCheck {
  if (!ledger || key === undefined) return NO_CHECK;
  let mine: string | undefined;
  let lookup: Promise<string | undefined> | undefined;
  return {
    onFingerprint(fingerprint) {
      if (!ledger || key === undefined) return;
      mine = fingerprint;
      lookup = options.readStore ? ledger.known(key) : Promise.resolve(ledger.cached(key));
    },
    verify() {
      if (!lookup || key === undefined) return undefined;
      return lookup.then((holder) => {
        if (holder !== undefined && holder !== mine) throw new IdempotencyConflictError(key);
      });
    },
  };
}
