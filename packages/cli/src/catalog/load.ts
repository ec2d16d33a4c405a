import { readFile } from 'node:fs/promises';
import { AvroSchemaParser } from '@asyncapi/avro-schema-parser';
import { DiagnosticSeverity, Parser, type AsyncAPIDocumentInterface } from '@asyncapi/parser';

/** A document that parsed without error, and where it came from. */
export interface LoadedDocument {
  readonly source: string;
  readonly document: AsyncAPIDocumentInterface;
}

/** Why documents could not be used: one line per error, each naming its file. */
export class CatalogLoadError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'CatalogLoadError';
  }
}

/** Reads and parses AsyncAPI documents (`-` is stdin); any error in any of them throws, listing all. */
export async function loadDocuments(
  files: readonly string[],
  readStdin: () => Promise<string> = stdin,
): Promise<LoadedDocument[]> {
  const parser = new Parser({ schemaParsers: [AvroSchemaParser()] });
  const problems: string[] = [];
  const loaded: LoadedDocument[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = file === '-' ? await readStdin() : await readFile(file, 'utf8');
    } catch (err) {
      problems.push(`${file}: ${(err as Error).message}`);
      continue;
    }
    const { document, diagnostics } = await parser.parse(text, { source: file });
    const errors = diagnostics.filter((d) => Number(d.severity) === Number(DiagnosticSeverity.Error));
    for (const e of errors) problems.push(`${file}: ${e.message} (at /${e.path.join('/')})`);
    if (document && errors.length === 0) loaded.push({ source: file, document });
  }
  if (problems.length > 0) throw new CatalogLoadError(problems);
  return loaded;
}

async function stdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
