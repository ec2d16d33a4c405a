// Avro (Confluent wire format, schema from zod, ids cached after the first call) against JSON: encode + decode
// throughput of the same events in one run, with payload sizes. Needs the schema registry (`pnpm services up
// registry`). Run: node --conditions=@listen-to-yourself/source --import tsx benchmarks/codec/avro-vs-json.ts [events per round, default 50000]
import { randomUUID } from 'node:crypto';
// zod is core's dependency, not the workspace root's: import core's copy, the one defineEvent checks against.
import { z } from 'zod';
import { serviceConfig } from '../../scripts/services/service-config.mjs';
import { writeResult, type GroupResult } from '../lib/results';
import { avroCodec } from '../../packages/core/src/avro';
import { defineEvent, jsonCodec, type Codec, type EventDefinition } from '../../packages/core/src/index';

const N = Number(process.argv[2] ?? 50_000);
const ROUNDS = 3;

const Deposited = defineEvent({
  type: 'bench.Deposited',
  schema: z.object({ account: z.string(), amount: z.number().int(), seq: z.number().int() }),
  key: (e) => e.account,
});
const OrderPlaced = defineEvent({
  type: 'bench.OrderPlaced',
  schema: z.object({
    orderId: z.uuid(),
    customerId: z.string(),
    status: z.enum(['NEW', 'PAID', 'SHIPPED']),
    placedAt: z.coerce.date(),
    currency: z.string(),
    total: z.number(),
    note: z.string().optional(),
    address: z.object({ street: z.string(), city: z.string(), zip: z.string(), country: z.string() }),
    lines: z.array(z.object({ sku: z.string(), qty: z.number().int().min(1).max(1000), price: z.number() })),
    tags: z.record(z.string(), z.string()),
  }),
  key: (e) => e.orderId,
});

const cases: { name: string; def: EventDefinition; payload: (i: number) => unknown }[] = [
  {
    name: 'small (3 fields)',
    def: Deposited,
    payload: (i) => ({ account: `acc-${i % 1000}`, amount: 100 + i, seq: i }),
  },
  {
    name: 'order (nested, 5 lines)',
    def: OrderPlaced,
    payload: (i) => ({
      orderId: randomUUID(),
      customerId: `cust-${i % 5000}`,
      status: 'PAID',
      placedAt: new Date(1_767_225_600_000 + i),
      currency: 'EUR',
      total: 123.45 + i,
      address: { street: '12 rue de la République', city: 'Lyon', zip: '69002', country: 'FR' },
      lines: Array.from({ length: 5 }, (_, l) => ({
        sku: `SKU-${l}-${i % 100}`,
        qty: l + 1,
        price: 9.99 * (l + 1),
      })),
      tags: { channel: 'web', campaign: 'spring' },
    }),
  },
];

async function round(codec: Codec, topic: string, def: EventDefinition, payloads: unknown[]) {
  const start = process.hrtime.bigint();
  let bytes = 0;
  for (const payload of payloads) {
    const value = await codec.encode({ topic, definition: def, payload });
    bytes += value.length;
    await codec.decode({ topic, value, definition: def });
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { perSecond: payloads.length / seconds, avgBytes: bytes / payloads.length };
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US').padStart(9);

async function main() {
  const topic = `bench-${randomUUID().slice(0, 8)}`;
  const codecs: [string, Codec][] = [
    [
      'avro',
      avroCodec({ registry: { url: serviceConfig().schemaRegistryUrl }, subjectStrategy: 'topic-record' }),
    ],
    ['json', jsonCodec()],
  ];
  for (const [, codec] of codecs) await codec.prepare({ topic, events: cases.map((c) => c.def) });
  console.log(`encode + decode, ${N} events per round, ${ROUNDS} rounds; node ${process.version}`);
  console.log('event                    codec  bytes/event   min ev/s  median ev/s   max ev/s');
  const groups: GroupResult[] = [];
  for (const c of cases) {
    const series = [];
    const payloads = Array.from({ length: N }, (_, i) => c.def.schema.parse(c.payload(i)));
    for (const [name, codec] of codecs) {
      await round(codec, topic, c.def, payloads.slice(0, Math.min(N, 5000))); // warm-up (JIT, schema ids)
      const results = [];
      for (let r = 0; r < ROUNDS; r++) results.push(await round(codec, topic, c.def, payloads));
      const rates = results.map((x) => x.perSecond).sort((a, b) => a - b);
      series.push({ name, rounds: rates });
      const size = results[0]!.avgBytes.toFixed(1).padStart(11);
      console.log(
        `${c.name.padEnd(24)} ${name.padEnd(5)} ${size} ${fmt(rates[0]!)}    ${fmt(rates[1]!)}  ${fmt(rates[2]!)}`,
      );
    }
    groups.push({ label: c.name, series });
  }
  writeResult({
    id: 'codec-avro-vs-json',
    title: 'Codec: encode + decode of one event, Avro (registry) against JSON',
    unit: 'events/s',
    higherIsBetter: true,
    groupBy: 'event',
    groups,
    notes: `${N} events per round`,
  });
}

await main();
