import type { AvroType } from './avsc-runtime';
import type { Compatibility } from './registry-client';

/** One reason a reader schema cannot read what a writer schema wrote. */
interface Mismatch {
  readonly path: string;
  /** `missing`: the reader has a field the writer lacks and no default for it. */
  readonly kind: 'missing' | 'type';
  readonly detail: string;
}

interface RecordLike {
  readonly fields: readonly {
    name: string;
    aliases?: readonly string[];
    type: AvroType;
    defaultValue(): unknown;
  }[];
}

/**
 * Checks a new schema against the registered one the way the subject's compatibility level asks, and says
 * which field breaks it, in words: BACKWARD (and FULL) need the new schema to read old records, FORWARD (and
 * FULL) need the registered schema to read new records. Transitive levels are checked here against the latest
 * version; the registry checks the older ones when we register. Empty when compatible.
 */
export function compatibilityProblems(level: Compatibility, next: AvroType, registered: AvroType): string[] {
  const problems: string[] = [];
  if (level.startsWith('BACKWARD') || level.startsWith('FULL')) {
    for (const m of mismatches(next, registered, '')) {
      problems.push(
        m.kind === 'missing'
          ? `field "${m.path}" is new and has no default, so records written with the registered schema cannot be read (give it a default, or make it optional)`
          : `field "${m.path}": records written with the registered schema cannot be read: ${m.detail}`,
      );
    }
  }
  if (level.startsWith('FORWARD') || level.startsWith('FULL')) {
    for (const m of mismatches(registered, next, '')) {
      problems.push(
        m.kind === 'missing'
          ? `field "${m.path}" was removed but has no default in the registered schema, so its readers cannot read new records`
          : `field "${m.path}": readers of the registered schema cannot read new records: ${m.detail}`,
      );
    }
  }
  return problems;
}

/** Why `reader` cannot read what `writer` wrote, down to the field; empty when it can. */
export function mismatches(reader: AvroType, writer: AvroType, path: string): Mismatch[] {
  try {
    reader.createResolver(writer);
    return [];
  } catch (err) {
    const detail = (err as Error).message;
    const here = path || '(record)';
    if (reader.typeName !== 'record' || writer.typeName !== 'record')
      return [{ path: here, kind: 'type', detail }];
    const r = reader as unknown as RecordLike;
    const w = writer as unknown as RecordLike;
    const found: Mismatch[] = [];
    for (const field of r.fields) {
      const names = [field.name, ...(field.aliases ?? [])];
      const match = w.fields.find((f) => names.includes(f.name));
      const at = path ? `${path}.${field.name}` : field.name;
      if (!match) {
        if (field.defaultValue() === undefined) found.push({ path: at, kind: 'missing', detail });
      } else {
        found.push(...mismatches(field.type, match.type, at));
      }
    }
    return found.length ? found : [{ path: here, kind: 'type', detail }];
  }
}
