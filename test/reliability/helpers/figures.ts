import { appendFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { full } from './env';

/** The figures every scenario prints on one line; `lost` and `doubled` must be zero. */
export interface Figures {
  scenario: string;
  /** Events whose command got a receipt (HTTP 202, or a resolved `send()`). */
  acked: number;
  /** Of those, applied to the store (or, for records written past the service, handled as they should be). */
  applied: number;
  /** Redelivered or re-sent events the store recognised and skipped, as the service counted them. */
  duplicates: number;
  deadLettered: number;
  lost: number;
  /** Events applied more than once, or out of their key's order. */
  doubled: number;
  /** Scenario-specific figures, printed after the common ones. */
  details: Record<string, string | number>;
}

/** The one line a scenario prints: the common figures, then its own. */
export function figuresLine(f: Figures): string {
  const common =
    `acked ${f.acked}, applied ${f.applied}, duplicates skipped ${f.duplicates}, ` +
    `dead-lettered ${f.deadLettered}, lost ${f.lost}, doubled ${f.doubled}`;
  const details = Object.entries(f.details)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  return `reliability ${f.scenario}${full ? ' (full)' : ''}: ${common}${details ? ` | ${details}` : ''}`;
}

/**
 * Prints the figures line and, when `LTY_RELIABILITY_RESULTS` names a file, appends them there as a JSON line
 * (`test/reliability/report.ts` turns that file into the table of docs/reliability.md).
 */
export function report(f: Figures): void {
  console.log(figuresLine(f));
  const file = process.env.LTY_RELIABILITY_RESULTS;
  if (file) {
    const line = { ...f, full, at: new Date().toISOString(), host: hostname() };
    appendFileSync(file, `${JSON.stringify(line)}\n`);
  }
}
