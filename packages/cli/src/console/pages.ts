import type { DeadLetter } from '@listen-to-yourself/core';
import type { Party, SystemView } from '../catalog/system-view';
import type { GroupHealth } from './cluster';
import { html, table, type Html } from './html';

/** What a page needs to draw its write controls: the token the viewer presented, if it is the right one. */
export interface Viewer {
  readonly token: string | undefined;
}

const q = (params: Record<string, string>) => new URLSearchParams(params).toString();
const healthClass = { ok: 'ok', 'dead letters': 'warn', 'no members': 'warn', error: 'bad' } as const;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Services and groups: health, members and lag per partition. */
export function overviewPage(groups: readonly GroupHealth[]): Html {
  if (groups.length === 0) return html`<p>No group to show: start with --service NAME or --catalog FILE.</p>`;
  const rows = groups.map((g) => [
    g.group.service,
    g.group.group,
    g.group.topic,
    html`<span class="${healthClass[g.health]}">${g.health}${g.error ? `: ${g.error}` : ''}</span>`,
    g.state,
    g.members,
    g.status?.lag ?? '-',
    html`<a href="/dead-letters?${q({ group: g.group.group })}">${g.status?.deadLetters ?? '-'}</a>`,
  ]);
  const header = ['Service', 'Group', 'Topic', 'Health', 'State', 'Members', 'Lag', 'Dead letters'];
  return html`${table(header, rows)}
  ${groups.map(
    (g) =>
      html`<h2>${g.group.group}: lag per partition</h2>
        ${
          g.status
            ? table(
                ['Partition', 'Committed', 'End', 'Lag'],
                g.status.partitions.map((p) => [p.partition, p.committed ?? '-', p.end, p.lag]),
              )
            : html`<p class="bad">${g.error ?? 'unknown'}</p>`
        }`,
  )}`;
}

/** A hidden field per entry of the selection (and the token for a change). */
const fields = (values: Record<string, string>) =>
  Object.entries(values).map(([k, val]) => html`<input type="hidden" name="${k}" value="${val}" />`);

function releaseForm(
  action: 'redrive' | 'purge',
  group: string,
  sel: Record<string, string>,
  v: Viewer,
  label: string = action === 'redrive' ? 'Redrive' : 'Purge…',
): Html | '' {
  if (!v.token) return '';
  // A purge drops events for good: its button leads to a confirmation page, never straight to the change.
  const hidden = action === 'purge' ? { group, ...sel } : { token: v.token, group, ...sel };
  return html`<form class="inline" method="${action === 'purge' ? 'get' : 'post'}" action="/${action}">
    ${fields(hidden)}<button>${label}</button>
  </form>`;
}

/** A group's outstanding dead letters, each key's in order, with redrive and purge per key. */
export function deadLetterListPage(group: string, list: readonly DeadLetter[], v: Viewer): Html {
  const keys = new Set(list.map((d) => d.key)).size;
  const rows = list.map((d) => [
    d.key,
    html`<a href="/dead-letter?${q({ group, id: d.id })}">${d.id}</a>`,
    d.eventType ?? '-',
    d.reason,
    `${d.original.partition}@${d.original.offset}`,
    d.error.message,
    html`${releaseForm('redrive', group, { key: d.key }, v, 'Redrive key')}
    ${releaseForm('purge', group, { key: d.key }, v, 'Purge key…')}`,
  ]);
  return html`<p>
      ${plural(list.length, 'dead letter')} in ${plural(keys, 'parked key')}. A redrive produces a key's dead
      letters again, in order; a purge releases the key without them.
    </p>
    ${
      keys > 0 && v.token
        ? html`<p>
            All keys: ${releaseForm('redrive', group, { all: '1' }, v)}
            ${releaseForm('purge', group, { all: '1' }, v)}
          </p>`
        : ''
    }
    ${table(['Key', 'Id', 'Type', 'Reason', 'Original', 'Error', ''], rows)}`;
}

/** The value as text when it is UTF-8 without control characters (pretty when JSON), else base64. */
function valueText(value: Buffer): { label: string; text: string } {
  const text = value.toString('utf8');
  const printable =
    Buffer.from(text, 'utf8').equals(value) &&
    [...text].every((c) => c.charCodeAt(0) >= 0x20 || c === '\n' || c === '\t' || c === '\r');
  if (!printable) return { label: 'Value (base64)', text: value.toString('base64') };
  try {
    return { label: 'Value (JSON)', text: JSON.stringify(JSON.parse(text), null, 2) };
  } catch {
    return { label: 'Value (text)', text };
  }
}

/** One dead letter: where it came from, why it failed, its headers and its payload. */
export function deadLetterPage(group: string, d: DeadLetter, v: Viewer): Html {
  const value = valueText(d.value);
  const about: [string, string][] = [
    ['id', d.id],
    ['key', d.key],
    ['type', d.eventType ?? '-'],
    ['reason', d.reason],
    ['original', `${d.original.topic}[${d.original.partition}]@${d.original.offset}`],
    ['dead letter', `${d.dlq.topic}[${d.dlq.partition}]@${d.dlq.offset} (${plural(d.copies, 'copy')})`],
    ['attempts', String(d.attempts)],
    ['failures', `${d.firstFailureAt ?? '-'} .. ${d.lastFailureAt ?? '-'}`],
    ['error', `${d.error.class}: ${d.error.message}`],
  ];
  return html`<p>
      <a href="/dead-letters?${q({ group })}">← ${group}</a>
      ${releaseForm('redrive', group, { eventId: d.id }, v, 'Redrive its key')}
      ${releaseForm('purge', group, { eventId: d.id }, v, 'Purge this event…')}
    </p>
    ${table(['Field', 'Value'], about)}
    <h2>Headers</h2>
    ${table(['Header', 'Value'], Object.entries(d.headers))}
    <h2>${value.label}</h2>
    <pre class="value">${value.text}</pre>
    <h2>Stack</h2>
    <pre>${d.error.stack}</pre>`;
}

/** Asks before a purge; the form carries the selection, the token and the confirmation. */
export function purgeConfirmPage(group: string, sel: Record<string, string>, count: number, v: Viewer): Html {
  const what = sel.all
    ? 'every parked key'
    : sel.key !== undefined
      ? `key ${sel.key}`
      : `event ${sel.eventId}`;
  return html`<p>
      Purge ${what} in ${group}? ${plural(count, 'dead letter')} will not be applied; the
      key${sel.all ? 's' : ''} will be released. This cannot be undone.
    </p>
    <form method="post" action="/purge">
      ${fields({ token: v.token ?? '', group, confirm: 'yes', ...sel })}
      <button>Yes, purge</button> <a href="/dead-letters?${q({ group })}">Cancel</a>
    </form>`;
}

const party = (p: Party) => (p.group ? `${p.service} (${p.group})` : p.service);

/** Every event type with its topics, publishers and subscribers. */
export function catalogPage(view: SystemView | undefined): Html {
  if (!view) return html`<p>No catalog: start with --catalog FILE (each service's AsyncAPI document).</p>`;
  const rows = view.events.map((e) => [
    e.type,
    e.topics.join(', '),
    e.publishers.map(party).join(', ') || '-',
    e.subscribers.map(party).join(', ') || '-',
  ]);
  return html`<p>${plural(view.services.length, 'service')}: ${view.services.join(', ')}</p>
    ${table(['Event', 'Topic', 'Publishers', 'Subscribers'], rows)}`;
}
