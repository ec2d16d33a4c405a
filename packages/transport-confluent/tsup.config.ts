import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  // The client is loaded with createRequire(import.meta.url); the CommonJS build needs import.meta.url shimmed.
  shims: true,
  external: ['@confluentinc/kafka-javascript'],
});
