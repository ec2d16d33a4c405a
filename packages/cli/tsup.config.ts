import { defineConfig } from 'tsup';

// The bin is ESM only: node runs it directly, nothing requires it.
export default defineConfig({
  entry: ['src/main.ts', 'src/run.ts'],
  format: ['esm'],
  dts: { entry: 'src/run.ts' },
  sourcemap: true,
  clean: true,
  target: 'node20',
});
