import { z } from 'zod';
import { messageOf } from '../errors/errors';

/** A JSON Schema (draft-07, which AsyncAPI schemas extend) as a plain object. */
export type JsonSchema = Record<string, unknown>;

/**
 * The JSON Schema of a zod schema: what a valid value looks like on the wire (`io: 'output'` for an event's
 * payload, `'input'` for what a command accepts). Checks zod cannot express (refinements, transforms) are left
 * out; a schema zod cannot convert at all becomes `{}` with the reason in `x-lty-unrepresentable`.
 */
export function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  try {
    const out = z.toJSONSchema(schema, { target: 'draft-7', io, unrepresentable: 'any' }) as JsonSchema;
    // AsyncAPI documents say their schema format once; a `$schema` inside a payload is noise to their tools.
    const { $schema: _ignored, ...rest } = out;
    return rest;
  } catch (err) {
    return { 'x-lty-unrepresentable': messageOf(err) };
  }
}
