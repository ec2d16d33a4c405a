/** The qualified, quoted names of the store's tables, ready to paste into SQL. */
export interface PostgresTables {
  /** One row per entity: state (jsonb), version and last applied position. */
  readonly entities: string;
  /** One row per event id applied to an entity within the dedup window. */
  readonly appliedEvents: string;
  /** The schema migrations applied so far. */
  readonly migrations: string;
}

/** Quotes an identifier (the options allow only letters, digits and _, so this never needs escaping). */
export function quoteIdent(name: string): string {
  return `"${name}"`;
}

/** The table names for a schema and prefix. */
export function tableNames(schema: string, prefix: string): PostgresTables {
  const q = (table: string) => `${quoteIdent(schema)}.${quoteIdent(prefix + table)}`;
  return { entities: q('entities'), appliedEvents: q('applied_events'), migrations: q('migrations') };
}
