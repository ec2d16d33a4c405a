import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { HTTP_STATUS } from './http-errors';

const page = fileURLToPath(new URL('../../../../docs/outcomes.md', import.meta.url));

/** The rows of the docs' "Error code → HTTP status" table, as code → status. */
function docsTable(markdown: string): Map<string, number> {
  const section = markdown.split('## Error code → HTTP status')[1] ?? '';
  const rows = [...section.matchAll(/^\| `(LTY_[A-Z_]+)` \| (\d{3}) \|/gm)];
  return new Map(rows.map((m) => [m[1]!, Number(m[2])]));
}

/** Every difference between the docs' table and the example's, in words; empty when they agree. */
function mismatches(markdown: string, table: Readonly<Record<string, number | undefined>>): string[] {
  const docs = docsTable(markdown);
  const out: string[] = [];
  if (docs.size === 0) out.push('the docs have no error code table');
  for (const [code, status] of docs) {
    if (table[code] !== status) out.push(`${code}: docs ${status}, example ${table[code] ?? 'none'}`);
  }
  for (const code of Object.keys(table)) if (!docs.has(code)) out.push(`${code}: not in the docs`);
  return out;
}

describe('the order example answers errors with the statuses docs/outcomes.md gives', () => {
  it('has the same table as the docs', () => {
    expect(mismatches(readFileSync(page, 'utf8'), HTTP_STATUS)).toEqual([]);
  });

  it('finds a status that differs, a code the docs lack and a missing table', () => {
    const markdown = readFileSync(page, 'utf8');
    expect(mismatches(markdown, { ...HTTP_STATUS, LTY_DEAD_LETTERED: 500 })).toEqual([
      'LTY_DEAD_LETTERED: docs 424, example 500',
    ]);
    expect(mismatches(markdown, { ...HTTP_STATUS, LTY_DECODE: 500 })).toEqual([
      'LTY_DECODE: not in the docs',
    ]);
    expect(mismatches('# nothing here', {})).toEqual(['the docs have no error code table']);
  });
});
