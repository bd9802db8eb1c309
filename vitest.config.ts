import { defineConfig } from 'vitest/config';

// Two projects: "unit" runs everywhere without a server (core, adapter against the fake
// runtime, bundle shape); "integration" drives a real Nakama and is started by
// test/integration/run.mjs, which finds or starts the server first. The examples' own tests
// (examples/*/test) run with it: each starts a server with its example's bundle.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/core/**/*.test.ts', 'test/adapter/**/*.test.ts', 'test/unit/**/*.test.ts', 'test/bundle/**/*.test.ts', 'test/client/**/*.test.ts', 'test/architecture/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'examples/*/test/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // One server is shared: files run one after another (one fork), so faults injected by
          // one file never skew another's timing.
          pool: 'forks',
          poolOptions: { forks: { singleFork: true } },
        },
      },
    ],
  },
});
