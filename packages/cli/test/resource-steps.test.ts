// Open-kind (resource) steps from a JSON plan file, bound to the simulator's resource provider:
// checked against the plan schema and the providers, shown by `failover plan`, run by `failover run`.
import { describe, expect, it } from 'vitest';
import { fixture, runFailover } from './cli-harness.js';

const plan = fixture('resource-plan.json');
const providers = ['--providers', fixture('resource-providers.ts')];

describe('resource steps in the CLI', () => {
  it('plan shows the resource diff and the check, read-only', async () => {
    const run = await runFailover(['plan', plan, ...providers]);
    expect(run.code, `stdout:\n${run.stdout}\nstderr:\n${run.stderr}`).toBe(0);
    expect(run.stdout).toContain('1. backup-fresh\n  2. switch-flag');
    expect(run.stdout).toMatch(
      /switch-flag: would change the resource\n\s+value: "us-east-1" -> "eu-west-1"/,
    );
    expect(run.stdout).toMatch(/backup-fresh: check passes now: latest\.completedAt is \d+ ms old/);
  });

  it('run switches the flag and reports the step', async () => {
    const run = await runFailover(['run', plan, ...providers, '--yes']);
    expect(run.code, `stdout:\n${run.stdout}\nstderr:\n${run.stderr}`).toBe(0);
    expect(run.stdout).toMatch(/wait\s+switch-flag: sim\.flags UpdateResource resource-update-1/);
    expect(run.stdout).toMatch(/of resource-steps: succeeded/);
    // The API-call counts the provider reported through onApiCall: one mutating request.
    expect(run.stdout).toMatch(/API calls: \d+ - flags \d+ \(1 mutating\)/);
  });
});
