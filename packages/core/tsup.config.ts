import { defineConfig } from 'tsup';

export default defineConfig({
  // avro is an entry of its own (the "./avro" export) so the root entry never loads avsc or the registry client.
  entry: ['src/index.ts', 'src/avro.ts'],
  format: ['esm', 'cjs'],
  // Shared chunks in both formats: the error classes avro throws must be the very ones the root entry exports.
  splitting: true,
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
});
