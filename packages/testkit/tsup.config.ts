import { defineConfig } from 'tsup';

// ESM only: the suites import vitest, which cannot be loaded with require(), so a CJS build could never run.
export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
});
