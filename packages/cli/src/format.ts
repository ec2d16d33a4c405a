import type { DeadLetter, GroupStatus, ReleaseResult } from '@listen-to-yourself/core';

/** A dead letter as `--json` prints it: the value as base64 (it may be binary, Avro for one). */
export function deadLetterJson(d: DeadLetter): Record<string, unknown> {
  const { value, ...rest } = d;
  return { ...rest, valueBase64: value.toString('base64') };
}

/** Left-aligned columns, two spaces apart; cells longer than `max` are cut with an ellipsis. */
export function table(header: readonly string[], rows: readonly (readonly string[])[], max = 60): string {
  const cut = (s: string) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);
  const all = [header, ...rows].map((r) => r.map((c) => cut(c.replace(/\s+/g, ' '))));
  const widths = header.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  return all
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function formatList(list: readonly DeadLetter[], where: string): string {
  const keys = new Set(list.filter((d) => d.key !== '').map((d) => d.key)).size;
  const keyless = list.filter((d) => d.key === '').length;
  const without = keyless > 0 ? `, ${keyless} without a key` : '';
  const head = `${list.length} dead letter${list.length === 1 ? '' : 's'} (${keys} key${keys === 1 ? '' : 's'}${without}) ${where}`;
  if (list.length === 0) return head;
  const rows = list.map((d) => [
    d.id,
    keyOf(d),
    d.reason,
    d.eventType ?? '-',
    `${d.original.partition}@${d.original.offset}`,
    String(d.copies),
    d.error.message,
  ]);
  return `${head}\n${table(['ID', 'KEY', 'REASON', 'TYPE', 'ORIGINAL', 'COPIES', 'ERROR'], rows)}`;
}

export function formatShow(d: DeadLetter): string {
  const text = d.value.toString('utf8');
  // Shown as text when it is valid UTF-8 without control characters (JSON, say); else as base64 (Avro).
  const printable =
    Buffer.from(text, 'utf8').equals(d.value) &&
    [...text].every((c) => c.charCodeAt(0) >= 0x20 || c === '\n' || c === '\t' || c === '\r');
  return [
    `id:            ${d.id}`,
    `key:           ${keyOf(d)}`,
    `type:          ${d.eventType ?? '-'}`,
    `reason:        ${d.reason}`,
    `original:      ${d.original.topic}[${d.original.partition}]@${d.original.offset}`,
    `dead letter:   ${d.dlq.topic}[${d.dlq.partition}]@${d.dlq.offset} (${d.copies} cop${d.copies === 1 ? 'y' : 'ies'})`,
    `attempts:      ${d.attempts}`,
    `failures:      ${d.firstFailureAt ?? '-'} .. ${d.lastFailureAt ?? '-'}`,
    `error:         ${d.error.class}: ${d.error.message}`,
    'headers:',
    ...Object.entries(d.headers).map(([k, v]) => `  ${k}: ${v}`),
    printable ? `value:\n  ${text}` : `value (base64):\n  ${d.value.toString('base64')}`,
    'stack:',
    ...d.error.stack.split('\n').map((l) => `  ${l}`),
  ].join('\n');
}

/** A record without a key has an empty one in its dead letter. */
const keyOf = (d: DeadLetter) => (d.key === '' ? '(no key)' : d.key);

export function formatRelease(action: 'redrive' | 'purge', r: ReleaseResult): string {
  if (r.keys.length + r.redriven.length + r.purged.length === 0)
    return `nothing to ${action}: no outstanding dead letter matches`;
  const lines = [
    `${action} ${r.redriveId}: ${r.keys.length} key${r.keys.length === 1 ? '' : 's'} (${r.keys.join(', ')})`,
    `  produced again, in order: ${r.redriven.length}`,
    `  purged: ${r.purged.length}`,
    'Each key is released when its service reaches the release marker; `lty dlq list` shows what remains.',
  ];
  return lines.join('\n');
}

export function formatStatus(s: GroupStatus): string {
  const rows = s.partitions.map((p) => [String(p.partition), p.committed ?? '-', p.end, String(p.lag)]);
  return [
    `group ${s.groupId} on ${s.topic}: lag ${s.lag}`,
    table(['PARTITION', 'COMMITTED', 'END', 'LAG'], rows),
    `dead letters in ${s.dlqTopic}: ${s.deadLetters} outstanding, ${s.parkedKeys} parked key${s.parkedKeys === 1 ? '' : 's'}`,
  ].join('\n');
}
