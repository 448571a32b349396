import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// Tests import workspace packages from source through the `@failover/source`
// export condition, so nothing has to be built before `vitest run`.
// No `module` condition: the AWS SDK maps it to its bundler build (dist-es, with
// extension-less imports Node cannot load); `node` picks the build Node runs.
const conditions = ['@failover/source', 'import', 'node', 'default'];

const project = (name: string, include: string[], options: { isolate?: boolean } = {}) => ({
  extends: true as const,
  test: { name, include, ...options },
});

// The adapter and emulator suites mock no module, stub no global or environment variable,
// and stop what they start: their files share a worker's loaded modules, so each worker
// loads the cloud SDKs once rather than once per file (most of these suites' time).
const sharedModules = { isolate: false };

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['@failover/source'] } },
  test: {
    reporters: ['default', './test/summary-reporter.ts'],
    // Loopback only, in every test process and every process a test spawns: see the file.
    setupFiles: ['./test/setup/loopback-only.mjs'],
    testTimeout: 20_000,
    // One test file per core, not vitest's default of one fewer: many files spend most of
    // their time waiting on a child process (the CLI from source) or on a loopback server,
    // so on a 2-core machine a single worker left a core idle for much of the run.
    maxWorkers: Math.max(2, availableParallelism()),
    projects: [
      project('core', ['packages/core/**/*.test.ts']),
      project('testing', ['packages/testing/**/*.test.ts'], sharedModules),
      project('emulator', ['packages/emulator/**/*.test.ts'], sharedModules),
      project('aws', ['packages/aws/**/*.test.ts'], sharedModules),
      project('azure', ['packages/azure/**/*.test.ts'], sharedModules),
      project('gcp', ['packages/gcp/**/*.test.ts'], sharedModules),
      project('kubernetes', ['packages/kubernetes/**/*.test.ts']),
      project('restate', ['packages/restate/**/*.test.ts']),
      project('cli', ['packages/cli/**/*.test.ts']),
      project('e2e', ['test/**/*.test.ts', 'examples/**/*.test.ts']),
    ],
  },
});
