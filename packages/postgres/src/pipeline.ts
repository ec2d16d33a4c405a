import type { Connection, PoolClient, Submittable } from 'pg';
import type { Statement } from './statements';

/** A parameter: a scalar or an array of scalars, sent in Postgres' text form. */
export type Param = string | number | null | readonly (string | number | null)[];

/** A statement with its parameters. */
export interface BoundStatement extends Statement {
  readonly values: readonly Param[];
}

/** A result row as the server sent it: every column as text, null for SQL NULL (no type parsers involved). */
export type TextRow = Record<string, string | null>;

// The parts of pg's connection that are not in its typings: which named statements the server already holds
// (pg's own queries read and fill the same map, so a statement parsed here is not parsed again there).
interface ParsedStatements {
  parsedStatements?: Record<string, string>;
}

interface Message {
  fields: { name: string }[] | (string | null)[];
}

/**
 * Sends `statements` in one round trip: each one's Parse (unless the connection holds it already), Bind, Describe
 * and Execute, then a single Sync. The server runs them in order, each after the previous one finished (under
 * READ COMMITTED each takes its own snapshot when it starts); after an error it skips the rest up to the Sync,
 * and the promise fails with that error. On a client in pg's pipeline mode, pg itself already sends queued
 * queries without waiting, so they are simply queued.
 */
export function sendTogether(
  client: PoolClient,
  statements: readonly BoundStatement[],
): Promise<TextRow[][]> {
  if ((client as { pipeline?: boolean }).pipeline === true) {
    return Promise.all(
      statements.map(async (s) => {
        const result = await client.query<string[]>({ ...s, values: s.values.map(encode), rowMode: 'array' });
        return result.rows.map((row) =>
          Object.fromEntries(result.fields.map((f, i) => [f.name, row[i] ?? null])),
        );
      }),
    );
  }
  return new Promise((resolve, reject) => {
    client.query(new Together(statements, (err, rows) => (err ? reject(err) : resolve(rows))));
  });
}

// pg calls these handlers in the order the server answers; one CommandComplete ends each statement.
class Together implements Submittable {
  private readonly results: TextRow[][] = [];
  private current: TextRow[] = [];
  private columns: string[] = [];
  private parsing: { name: string; text: string }[] = [];
  private connection: (Connection & ParsedStatements) | undefined;
  private done = false;

  constructor(
    private readonly statements: readonly BoundStatement[],
    private readonly callback: (err: Error | undefined, rows: TextRow[][]) => void,
  ) {}

  submit(connection: Connection & ParsedStatements): void {
    this.connection = connection;
    // Without pg's map of what the server holds, a named Parse sent on the statement's second use would fail
    // (the name exists already): a pg that no longer keeps that map gets unnamed statements, parsed every time.
    const parsed = connection.parsedStatements;
    const named = typeof parsed === 'object' && parsed !== null;
    connection.on('parseComplete', this.onParsed);
    connection.stream.cork();
    try {
      for (const s of this.statements) {
        const name = named ? (s.name ?? '') : '';
        if (name === '' || parsed?.[name] !== s.text) {
          connection.parse({ name, text: s.text, types: [] }, true);
          this.parsing.push({ name, text: s.text });
        }
        connection.bind({ statement: name, values: s.values.map(encode) }, true);
        connection.describe({ type: 'P', name: '' }, true);
        connection.execute({ portal: '' }, true);
      }
      connection.sync();
    } finally {
      connection.stream.uncork();
    }
  }

  private readonly onParsed = () => {
    const statement = this.parsing.shift();
    const parsed = this.connection?.parsedStatements;
    if (statement !== undefined && statement.name !== '' && parsed) parsed[statement.name] = statement.text;
  };

  handleRowDescription(msg: Message): void {
    this.columns = (msg.fields as { name: string }[]).map((f) => f.name);
  }

  handleDataRow(msg: Message): void {
    const values = msg.fields as (string | null)[];
    this.current.push(Object.fromEntries(this.columns.map((c, i) => [c, values[i] ?? null])));
  }

  handleCommandComplete(): void {
    this.results.push(this.current);
    this.current = [];
    this.columns = [];
  }

  handleEmptyQuery(): void {
    this.handleCommandComplete();
  }

  handleError(err: Error): void {
    this.finish(err);
  }

  handleReadyForQuery(): void {
    this.finish(undefined);
  }

  private finish(err: Error | undefined): void {
    this.connection?.off('parseComplete', this.onParsed);
    if (this.done) return;
    this.done = true;
    this.callback(err, this.results);
  }
}

// Arrays in Postgres' text form (what pg's own value mapping does for the types the store sends).
function encode(value: Param): string | null {
  if (value === null) return null;
  if (typeof value === 'object') return `{${value.map(element).join(',')}}`;
  return String(value);
}

const element = (value: string | number | null): string =>
  value === null ? 'NULL' : `"${String(value).replace(/[\\"]/g, '\\$&')}"`;
