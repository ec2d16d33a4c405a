import { DecodeError } from '../errors/errors';

/** The Confluent wire format: magic byte 0, the schema id as a 4-byte big-endian integer, then the Avro body. */
const MAGIC = 0;
const HEADER_BYTES = 5;

/** Prefixes an Avro body with the Confluent header. */
export function frame(schemaId: number, body: Buffer): Buffer {
  const value = Buffer.allocUnsafe(HEADER_BYTES + body.length);
  value.writeUInt8(MAGIC, 0);
  value.writeInt32BE(schemaId, 1);
  body.copy(value, HEADER_BYTES);
  return value;
}

/** Splits a record value into schema id and body. Throws DecodeError for a value not in the Confluent format. */
export function unframe(value: Buffer, what: string): { schemaId: number; body: Buffer } {
  if (value.length < HEADER_BYTES) {
    throw new DecodeError(
      `${what} is ${value.length} bytes, too short for the Confluent Avro format (5-byte header)`,
    );
  }
  if (value[0] !== MAGIC) {
    throw new DecodeError(`${what} starts with byte ${value[0]}, not the Confluent Avro magic byte 0`);
  }
  return { schemaId: value.readInt32BE(1), body: value.subarray(HEADER_BYTES) };
}
