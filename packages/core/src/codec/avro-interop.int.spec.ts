import { randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HEADERS } from '../event/headers';
import type { Service } from '../service/create-service';
import { avroCodec } from './avro-codec';
import {
  RecordEverything,
  brokers,
  everything,
  everythingService,
  interopScript,
  registryUrl,
  run,
  unique,
  venvPython,
  type EverythingPayload,
} from './avro-test-helpers';

// Clients no one here wrote: confluent-kafka's Python AvroSerializer / AvroDeserializer (fastavro) and kcat.
let python = '';
beforeAll(async () => {
  python = await venvPython();
}, 180_000);

const running: Service[] = [];
afterEach(async () => {
  await Promise.allSettled(running.splice(0).map((s) => s.stop()));
});

/** A payload as the Python side holds it: tagged dates and big integers, absent optionals as null. */
function asPython(p: EverythingPayload): unknown {
  return {
    ...p,
    huge: { $bigint: String(p.huge) },
    at: { $date: p.at.getTime() },
    note: p.note ?? null,
    address: { city: p.address.city, zip: p.address.zip ?? null },
  };
}

interface PythonRecord {
  key: string;
  headers: Record<string, string>;
  value: unknown;
}

async function startedService(prefix: string) {
  const made = everythingService(unique(prefix), { codec: avroCodec({ registry: { url: registryUrl } }) });
  running.push(made.service);
  await made.service.start();
  return made;
}

describe('Avro interop with independent Confluent clients', () => {
  it('writes records the Python AvroDeserializer reads back field for field', async () => {
    const { service } = await startedService('interop-out');
    const sent = [everything('p0', 0), everything('p1', 1), everything('p2', 2)];
    const receipts = [];
    for (const p of sent) receipts.push(await service.send(RecordEverything, p, { idempotencyKey: p.id }));

    const out = await run(python, [
      interopScript('avro_consume.py'),
      brokers.join(','),
      registryUrl,
      service.topic,
      '3',
      // Well inside the test's own bound, so a slow read fails with the reader's diagnostics, not a bare timeout.
      '30',
    ]);
    const records = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as PythonRecord);
    expect(records).toHaveLength(3);
    for (const [i, p] of sent.entries()) {
      const got = records.find((r) => r.key === p.id)!;
      expect(got.value).toEqual(asPython(p));
      expect(got.headers[HEADERS.eventId]).toBe(receipts[i]!.eventIds[0]);
      expect(got.headers[HEADERS.eventType]).toBe('interop.EverythingHappened');
    }
  });

  it('decodes and applies records the Python AvroSerializer wrote', async () => {
    // Each step's time goes into the failure message: a slow step on a loaded machine then shows which one it was.
    const took: Record<string, number> = {};
    const timed = async <T>(step: string, f: () => Promise<T>): Promise<T> => {
      const t0 = Date.now();
      try {
        return await f();
      } finally {
        took[step] = Date.now() - t0;
      }
    };
    const { service, store } = await timed('start ms', () => startedService('interop-in'));
    const payloads = [everything('py0', 10), everything('py1', 11), everything('py2', 12)];
    const records = payloads.map((p) => ({
      key: p.id,
      headers: { [HEADERS.eventId]: randomUUID(), [HEADERS.eventType]: 'interop.EverythingHappened' },
      value: asPython(p),
    }));
    const out = await timed('python produce ms', () =>
      run(
        python,
        [interopScript('avro_produce.py'), brokers.join(','), registryUrl, service.topic],
        JSON.stringify(records),
        90_000,
      ),
    );
    expect(out.trim()).toBe('3');
    const states = () =>
      Promise.all(
        payloads.map(async (p) => (await store.get<EverythingPayload>({ type: 'thing', id: p.id }))?.state),
      );
    const applied = await timed('apply ms', async () => {
      const until = Date.now() + 60_000;
      let got = await states();
      while (got.some((s) => s === undefined) && Date.now() < until) {
        await new Promise((r) => setTimeout(r, 200));
        got = await states();
      }
      return got;
    });
    expect(applied, `steps ${JSON.stringify(took)}, service ${JSON.stringify(service.stats())}`).toEqual(
      payloads,
    );
    expect(service.stats().deadLettered).toBe(0);
  }, 180_000);

  it('shows our headers and the Confluent framing to kcat', async () => {
    let kcat = '';
    try {
      kcat = execFileSync('sh', ['-c', 'command -v kcat'], { encoding: 'utf8' }).trim();
    } catch {
      throw new Error('kcat is not installed: apt-get install -y kcat (Debian) to run this interop test');
    }
    const { service } = await startedService('interop-kcat');
    const receipt = await service.send(RecordEverything, everything('kc', 3), {
      idempotencyKey: 'kc-1',
      correlationId: 'corr-1',
    });
    const { partition, offset } = receipt.positions[0]!;
    // One record, at the position the receipt gave, printed with a kcat format string.
    const kcatRecord = (format: string) =>
      execFileSync(
        kcat,
        ['-C', '-b', brokers[0]!, '-t', service.topic, '-p', String(partition), '-o', offset].concat([
          '-c',
          '1',
          '-e',
          '-q',
          '-f',
          format,
        ]),
      );
    const out = kcatRecord('%k\n%h\n%S\n').toString('utf8');
    const [key, headerCsv, size] = out.split('\n');
    expect(key).toBe('kc');
    const headers = Object.fromEntries(
      headerCsv!.split(',').map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
    );
    expect(headers).toMatchObject({
      [HEADERS.eventId]: receipt.eventIds[0],
      [HEADERS.eventType]: 'interop.EverythingHappened',
      [HEADERS.schemaVersion]: '1',
      [HEADERS.command]: 'RecordEverything',
      [HEADERS.idempotencyKey]: 'kc-1',
      [HEADERS.correlationId]: 'corr-1',
      [HEADERS.service]: service.name,
    });
    expect(Date.parse(headers[HEADERS.producedAt]!)).not.toBeNaN();
    // The raw value: magic byte 0 and a 4-byte schema id before the Avro body.
    const raw = kcatRecord('%s');
    expect(raw.length).toBe(Number(size));
    expect(raw[0]).toBe(0);
    const registered = (await (
      await fetch(`${registryUrl}/subjects/${service.topic}-value/versions/latest`)
    ).json()) as { id: number };
    expect(raw.readInt32BE(1)).toBe(registered.id);
  });
});
