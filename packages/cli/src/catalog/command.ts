import { parseArgs } from 'node:util';
import { table } from '../format';
import type { CliIo } from '../run';
import { CatalogLoadError, loadDocuments } from './load';
import { systemView, type Party, type SystemView } from './system-view';

export const CATALOG_USAGE = `Usage: lty catalog [--json] FILE...

Merges services' AsyncAPI 3.0 documents (each example's \`pnpm catalog\` prints one; - reads stdin) into a
view of the system: every event type with the services that publish it and the groups that subscribe to it.
Every document is checked with @asyncapi/parser first; one with an error fails the command (exit 1).`;

const party = (p: Party) => (p.group ? `${p.service} (${p.group})` : p.service);

/** The system view as text: events with publishers and subscribers, then the consumer groups. */
export function formatSystem(view: SystemView): string {
  const s = view.services.length;
  return [
    `${s} service${s === 1 ? '' : 's'}: ${view.services.join(', ')}`,
    '',
    table(
      ['EVENT', 'TOPIC', 'PUBLISHERS', 'SUBSCRIBERS'],
      view.events.map((e) => [
        e.type,
        e.topics.join(', '),
        e.publishers.map(party).join(', ') || '-',
        e.subscribers.map(party).join(', ') || '-',
      ]),
      80,
    ),
    '',
    table(
      ['GROUP', 'SERVICE', 'TOPIC', 'DEAD LETTERS'],
      view.groups.map((g) => [g.group, g.service, g.topic, g.dlqTopic]),
    ),
  ].join('\n');
}

/** `lty catalog`: resolves with the exit code (0, 1 a document failed, 2 usage). */
export async function runCatalog(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    io.stderr(`lty: ${(err as Error).message}\n\n${CATALOG_USAGE}\n`);
    return 2;
  }
  if (parsed.values.help) {
    io.stdout(`${CATALOG_USAGE}\n`);
    return 0;
  }
  if (parsed.positionals.length === 0) {
    io.stderr(`lty: give at least one AsyncAPI document\n\n${CATALOG_USAGE}\n`);
    return 2;
  }
  try {
    const docs = await loadDocuments(parsed.positionals);
    const view = systemView(docs.map((d) => d.document));
    io.stdout(`${parsed.values.json ? JSON.stringify(view, null, 2) : formatSystem(view)}\n`);
    return 0;
  } catch (err) {
    if (!(err instanceof CatalogLoadError)) throw err;
    io.stderr(`lty: ${err.problems.join('\nlty: ')}\n`);
    return 1;
  }
}
