import { type Emulator, startEmulator } from '@failover/emulator';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exitCodes } from '../src/index.js';
import { fixture, runFailover } from './cli-harness.js';
import { seed } from './fixtures/azure-providers.js';

// The real Azure adapters and SDK clients (Traffic Manager, SQL failover
// groups, AKS) against an emulator started here, so its request log is ours.
const timeScale = 600;
let emulator: Emulator;
beforeEach(async () => {
  emulator = await startEmulator({ timeScale, seed });
});
afterEach(() => emulator.stop());

const args = () => [
  'run',
  fixture('azure-plan.yaml'),
  '--emulator',
  emulator.url,
  '--time-scale',
  String(timeScale),
  '--providers',
  fixture('azure-providers.ts'),
];

describe('failover run on the Azure adapters', () => {
  it('--dry-run observes through the real clients and sends no mutating request', async () => {
    const run = await runFailover([...args(), '--dry-run']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(exitCodes.success);
    expect(emulator.requests.count({ cloud: 'azure' })).toBeGreaterThanOrEqual(3);
    expect(emulator.requests.list({ mutating: true })).toEqual([]);
    expect(run.stdout).toContain('targets.primary-endpoint.enabled: true -> false');
    expect(run.stdout).toContain('scale-dr: would resize the pool');
    expect(run.stdout).toContain('desired: 2 -> 6');
    expect(run.stdout).toContain('promote-db: would move the writer eastus -> westus (planned)');
  });

  it('fails over for real: fence, scale, promote, verify', async () => {
    const run = await runFailover(args());
    expect(run.code).toBe(exitCodes.success);
    const mutations = emulator.requests.list({ mutating: true }).map((entry) => entry.operation);
    expect(mutations).toHaveLength(3);
    expect(run.stdout).toMatch(/API calls: \d+ - .*sql \d+ \(1 mutating\)/);
  });
});
