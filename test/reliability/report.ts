// Turns the figures of a run (the JSON lines `LTY_RELIABILITY_RESULTS=<file>` makes the suite write) into the
// "Recorded run" section of docs/reliability.md, between its `figures:start` and `figures:end` markers:
//   LTY_RELIABILITY_RESULTS=/tmp/rel.jsonl LTY_RELIABILITY_FULL=1 pnpm test:reliability
//   node --import tsx test/reliability/report.ts /tmp/rel.jsonl
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { repoRoot, shared } from './helpers/env';
import type { Figures } from './helpers/figures';

type Row = Figures & { full: boolean; at: string; host: string };

const file = process.argv[2] ?? process.env.LTY_RELIABILITY_RESULTS;
if (!file) throw new Error('usage: report.ts <results.jsonl>');
const rows = readFileSync(file, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l) as Row);
if (rows.length === 0) throw new Error(`${file} holds no figures`);

const version = (pkg: string) =>
  (
    JSON.parse(readFileSync(join(repoRoot, 'node_modules', pkg, 'package.json'), 'utf8')) as {
      version: string;
    }
  ).version;
const pool = new pg.Pool({ connectionString: shared.postgresUrl, max: 1 });
const postgres = (
  (await pool.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]?.v ?? '?'
).split(' ')[0];
await pool.end();

const first = rows[0]!;
const cpu = cpus();
const lines = [
  `Run of ${first.at.slice(0, 10)} (${rows.some((r) => r.full) ? 'full sizes, `LTY_RELIABILITY_FULL=1`' : 'default sizes'}) on ` +
    `${first.host}: ${cpu.length} × ${cpu[0]?.model.trim() ?? '?'}, ${Math.round(totalmem() / 2 ** 30)} GiB, ` +
    `shared with other work. Node ${process.version}, kafkajs ${version('kafkajs')}, pg ${version('pg')}, ` +
    `Apache Kafka ${process.env.LTY_KAFKA_VERSION ?? '4.1.2'} (KRaft, single node unless said), PostgreSQL ${postgres}.`,
  '',
  '| scenario | acked | applied | duplicates skipped | dead-lettered | lost | doubled |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...rows.map(
    (r) =>
      `| ${r.scenario} | ${r.acked} | ${r.applied} | ${r.duplicates} | ${r.deadLettered} | ${r.lost} | ${r.doubled} |`,
  ),
  '',
  ...rows.map(
    (r) =>
      `- **${r.scenario}**: ${Object.entries(r.details)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}.`,
  ),
];

const docs = join(repoRoot, 'docs/reliability.md');
const text = readFileSync(docs, 'utf8');
const start = '<!-- figures:start -->';
const end = '<!-- figures:end -->';
const [before, rest] = text.split(start);
const after = rest?.split(end)[1];
if (before === undefined || after === undefined)
  throw new Error(`${docs} lacks the ${start} / ${end} markers`);
writeFileSync(docs, `${before}${start}\n${lines.join('\n')}\n${end}${after}`);
console.log(`wrote ${rows.length} scenario(s) into ${docs}`);
