import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import type { CliIo } from '../run';
import { SECURITY_USAGE, kafkaSecurity, securityOptions } from '../security';
import { CatalogLoadError, loadDocuments } from '../catalog/load';
import { systemView, type GroupView, type SystemView } from '../catalog/system-view';
import { consoleCluster } from './cluster';
import { consoleHandler } from './server';

export const CONSOLE_USAGE = `Usage: lty console [--service NAME]... [--catalog FILE]... [--host H] [--port P] [--write]

A web page for operators: services and groups with health and lag per partition, dead letters (list, show,
redrive, purge after a confirmation) and the catalog. Read-only unless it has a write token: --write makes one
(printed with the address), or set LTY_CONSOLE_TOKEN. Every changing request must carry it.

Options:
  --brokers HOST:PORT[,...]   Kafka brokers (env KAFKA_BROKERS)
  --service NAME              a service's group NAME.self on NAME.events (repeatable)
  --catalog FILE              an AsyncAPI document: its groups and its events (repeatable)
  --host H                    default 127.0.0.1
  --port P                    default 8090; 0 picks a free port
  --write                     make a write token for this run

${SECURITY_USAGE}`;

/** `lty console`: serves until SIGINT or SIGTERM; resolves with the exit code. */
export async function runConsole(argv: readonly string[], io: CliIo): Promise<number> {
  let v;
  try {
    v = parseArgs({
      args: [...argv],
      options: {
        brokers: { type: 'string' },
        service: { type: 'string', multiple: true },
        catalog: { type: 'string', multiple: true },
        host: { type: 'string' },
        port: { type: 'string' },
        write: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        ...securityOptions,
      },
      strict: true,
    }).values;
  } catch (err) {
    io.stderr(`lty: ${(err as Error).message}\n\n${CONSOLE_USAGE}\n`);
    return 2;
  }
  if (v.help) return (io.stdout(`${CONSOLE_USAGE}\n`), 0);
  const problems: string[] = [];
  const brokers = (v.brokers ?? io.env.KAFKA_BROKERS ?? '').split(',').filter(Boolean);
  if (brokers.length === 0) problems.push('give --brokers or set KAFKA_BROKERS');
  const port = Number(v.port ?? 8090);
  if (!Number.isInteger(port) || port < 0 || port > 65535) problems.push('--port must be 0..65535');
  const security = kafkaSecurity(v, io.env, problems);
  if (problems.length > 0) {
    io.stderr(`lty: ${problems.join('\nlty: ')}\n\n${CONSOLE_USAGE}\n`);
    return 2;
  }
  let view: SystemView | undefined;
  try {
    if (v.catalog?.length) view = systemView((await loadDocuments(v.catalog)).map((d) => d.document));
  } catch (err) {
    if (!(err instanceof CatalogLoadError)) throw err;
    io.stderr(`lty: ${err.problems.join('\nlty: ')}\n`);
    return 1;
  }
  const groups = new Map<string, GroupView>();
  for (const g of view?.groups ?? []) groups.set(g.group, g);
  for (const name of v.service ?? []) {
    groups.set(`${name}.self`, {
      service: name,
      group: `${name}.self`,
      topic: `${name}.events`,
      dlqTopic: `${name}.events.dlq`,
    });
  }
  const token = io.env.LTY_CONSOLE_TOKEN || (v.write ? randomBytes(18).toString('base64url') : undefined);
  const cluster = consoleCluster({ brokers, security, groups: [...groups.values()] });
  const host = v.host ?? '127.0.0.1';
  let hosts: string[] = [];
  const handle = consoleHandler({ cluster, view, token, hosts: () => hosts });
  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const bound = (server.address() as AddressInfo).port;
  hosts = [`${host}:${bound}`, `localhost:${bound}`, `127.0.0.1:${bound}`];
  const url = `http://${host}:${bound}/`;
  io.stdout(
    token
      ? `lty console: ${url} (read-write: open ${url}?token=${v.write && !io.env.LTY_CONSOLE_TOKEN ? token : '<LTY_CONSOLE_TOKEN>'} to change anything)\n`
      : `lty console: ${url} (read-only)\n`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await cluster.close();
  return 0;
}
