import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseSchema } from './parse-schema';

describe('parseSchema', () => {
  it('parses a synchronous schema, with its issues on failure', async () => {
    const schema = z.object({ n: z.number().int() });
    expect(await parseSchema(schema, { n: 2 })).toEqual({ success: true, data: { n: 2 } });
    const failed = await parseSchema(schema, { n: 'x' });
    expect(failed.success).toBe(false);
    expect(failed.error?.issues[0]?.path).toEqual(['n']);
  });

  it('parses a schema with an async refinement; after the first parse, asynchronously only', async () => {
    let calls = 0;
    const schema = z.object({
      name: z.string().refine(async (v) => {
        calls++;
        await Promise.resolve();
        return v !== 'taken';
      }),
    });
    expect((await parseSchema(schema, { name: 'a' })).success).toBe(true);
    // The first parse tried the synchronous way, which started the refinement once before giving up.
    expect(calls).toBe(2);
    expect((await parseSchema(schema, { name: 'taken' })).success).toBe(false);
    expect(calls).toBe(3);
  });

  it('lets an error of the schema itself through', async () => {
    const schema = z.string().transform(() => {
      throw new TypeError('bug in a transform');
    });
    expect(() => parseSchema(schema, 'x')).toThrow('bug in a transform');
  });
});
