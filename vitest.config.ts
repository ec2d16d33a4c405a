import { configDefaults, defineConfig } from 'vitest/config';

// Tests are selected by suffix: *.unit.spec.ts run anywhere in milliseconds, *.int.spec.ts need the real
// services (`pnpm services up`), *.e2e.spec.ts drive the example services over HTTP.
const conditions = ['@listen-to-yourself/source'];
// The service-level leader-loss scenario needs the 3-node cluster: it runs with the full suite or on request, and
// is not part of the default run at all (rather than skipped in it).
const leaderLoss = process.env.LTY_RELIABILITY_FULL === '1' || process.env.LTY_RELIABILITY_LEADER === '1';

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: [
            '{packages,examples}/*/src/**/*.unit.spec.ts',
            'scripts/test/*.unit.spec.ts',
            'test/reliability/helpers/*.unit.spec.ts',
          ],
        },
      },
      {
        extends: true,
        test: {
          name: 'int',
          include: ['{packages,examples}/*/src/**/*.int.spec.ts', 'test/**/*.int.spec.ts'],
          // Real servers on 2 cores: one file at a time keeps timings and resource use predictable.
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['examples/*/src/**/*.e2e.spec.ts', 'examples/*/test/**/*.e2e.spec.ts'],
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'reliability',
          include: ['test/reliability/**/*.rel.spec.ts'],
          exclude: [
            ...configDefaults.exclude,
            ...(leaderLoss ? [] : ['test/reliability/leader-loss.rel.spec.ts']),
          ],
          // Crashes, outages and rebalances of whole services on 2 cores: one scenario at a time, long bounds.
          // LTY_RELIABILITY_FULL=1 runs the full figures (see docs/reliability.md).
          fileParallelism: false,
          testTimeout: 1_800_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
