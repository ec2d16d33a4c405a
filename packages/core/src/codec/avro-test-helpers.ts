// Shared by the Avro codec's tests only (not exported from the package).
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { serviceConfig } from '../../../../scripts/services/service-config.mjs';
import { defineCommand } from '../command/define-command';
import { defineEvent } from '../event/define-event';
import { createService, type Service } from '../service/create-service';
import type { ServiceOptions } from '../service/service-options';
import { inMemoryStateStore } from '../store/in-memory-state-store';
import { onOwnEvent } from '../subscriber/handlers';

export const { kafkaBrokers: brokers, schemaRegistryUrl: registryUrl } = serviceConfig();
export const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

/** One field of every zod construct the mapping supports. */
export const Everything = z.object({
  id: z.string(),
  uuid: z.uuid(),
  flag: z.boolean(),
  small: z.number().int().min(0).max(1000),
  int32: z.int32(),
  big: z.number().int(),
  ratio: z.number(),
  f32: z.float32(),
  huge: z.bigint(),
  at: z.date(),
  status: z.enum(['NEW', 'PAID']),
  kind: z.literal('order'),
  tags: z.array(z.string()),
  maybeItems: z.array(z.string().optional()),
  attrs: z.record(z.string(), z.number()),
  note: z.string().optional(),
  nick: z.string().nullable(),
  either: z.string().nullish(),
  currency: z.string().default('EUR'),
  address: z.object({ city: z.string(), zip: z.string().optional() }),
  lines: z.array(z.object({ sku: z.string(), qty: z.number().int().positive() })),
});
export type EverythingPayload = z.output<typeof Everything>;

export function everything(id: string, i = 0): EverythingPayload {
  return {
    id,
    uuid: randomUUID(),
    flag: i % 2 === 0,
    small: i % 1000,
    int32: -2_147_483_648 + i,
    big: 9_007_199_254_740_990 - i, // avsc's number longs stop 1 short of Number.MAX_SAFE_INTEGER
    ratio: 0.1 * (i + 1),
    f32: 1.5,
    huge: -(2n ** 63n) + BigInt(i),
    at: new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678) + i),
    status: i % 2 ? 'PAID' : 'NEW',
    kind: 'order',
    tags: ['a', `t${i}`],
    maybeItems: ['x', 'y'],
    attrs: { a: 1.25, b: -i },
    ...(i % 2 ? { note: `note ${i}` } : {}),
    nick: i % 2 ? 'nick' : null,
    either: null,
    currency: 'USD',
    address: { city: 'Lyon', ...(i % 2 ? { zip: '69001' } : {}) },
    lines: [{ sku: `S${i}`, qty: i + 1 }],
  };
}

export const EverythingHappened = defineEvent({
  type: 'interop.EverythingHappened',
  schema: Everything,
  key: (e) => e.id,
});
export const RecordEverything = defineCommand({
  name: 'RecordEverything',
  input: Everything,
  toEvents: (c) => EverythingHappened.of(c),
});

/** A service that stores each EverythingHappened payload as the state of entity `thing/<id>`. */
export function everythingService(
  name: string,
  extra: Partial<ServiceOptions>,
): { service: Service; store: ReturnType<typeof inMemoryStateStore> } {
  const store = inMemoryStateStore();
  const service = createService({
    name,
    kafka: { brokers, maxWaitTimeMs: 100 },
    store,
    commands: [RecordEverything],
    handlers: [
      onOwnEvent(EverythingHappened, (_s: EverythingPayload | undefined, e) => e.payload, {
        entity: 'thing',
      }),
    ],
    ...extra,
  });
  return { service, store };
}

const HERE = dirname(fileURLToPath(import.meta.url));
export const interopScript = (name: string) => resolve(HERE, '../../test/interop', name);

/** The interop virtualenv's python (made by scripts/python/setup-venv.sh, which installs only when needed). */
export async function venvPython(): Promise<string> {
  const out = await run('bash', [resolve(HERE, '../../../../scripts/python/setup-venv.sh')]);
  return out.trim().split('\n').pop()!;
}

/** Runs a program, resolving with its stdout; rejects with its stderr when it fails. */
export function run(file: string, args: string[], stdin?: string, timeoutMs = 90_000): Promise<string> {
  return new Promise((ok, fail) => {
    const child = execFile(file, args, { timeout: timeoutMs, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      if (!err) return ok(stdout);
      // The cause first: a test report keeps only an error's first line, and the command line says nothing.
      const how = err.killed ? `killed after ${timeoutMs} ms` : `exit ${String(err.code ?? err.signal)}`;
      const lastWords = stderr.trim().split('\n').slice(-3).join(' | ') || '(nothing on stderr)';
      fail(new Error(`${how}: ${lastWords}\n${file} ${args.join(' ')}\n${stderr}`));
    });
    if (stdin !== undefined) child.stdin!.end(stdin);
  });
}
