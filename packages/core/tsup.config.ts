import { defineConfig } from 'tsup';

export default defineConfig({
  // avro is an entry of its own (the "./avro" export) so the root entry never loads avsc or the registry client;
  // store-kit and transport-kit hold what adapter and transport authors need, apart from the service API.
  entry: ['src/index.ts', 'src/avro.ts', 'src/store-kit.ts', 'src/transport-kit.ts'],
  format: ['esm', 'cjs'],
  // Shared chunks in both formats: the error classes avro throws must be the very ones the root entry exports.
  splitting: true,
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
});
