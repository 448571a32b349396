// `failover validate --providers` pre-checks every action, read-only, and lists each step
// the run would refuse with its id (issue 11.2).
import { expect, it } from 'vitest';
import { runFailover } from '../packages/cli/test/cli-harness.js';

it('validate --providers lists every refused step and exits 2', async () => {
  const run = await runFailover([
    'validate',
    'test/fixtures/precheck-plan.ts',
    '--providers',
    'test/fixtures/precheck-providers.ts',
  ]);
  expect(run.code, run.stderr).toBe(2);
  expect(run.stderr).toContain('would be refused by its providers: 1 step');
  expect(run.stderr).toContain('too-big: ');
  expect(run.stderr).toContain('[invalid-input]');
  expect(run.stderr).not.toContain('fits:');

  const json = await runFailover([
    'validate',
    'test/fixtures/precheck-plan.ts',
    '--providers',
    'test/fixtures/precheck-providers.ts',
    '--json',
  ]);
  expect(json.code).toBe(2);
  expect(JSON.parse(json.stdout)).toMatchObject({
    valid: false,
    refusals: [{ stepId: 'too-big', kind: 'invalid-input' }],
  });
});
