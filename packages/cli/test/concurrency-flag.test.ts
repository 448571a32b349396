import { describe, expect, it } from 'vitest';
import { exitCodes } from '../src/index.js';
import { fixture, runFailover } from './cli-harness.js';

describe('--concurrency', () => {
  it('is offered by run and drill, and must be a whole number of at least 1', async () => {
    for (const command of ['run', 'drill']) {
      const help = await runFailover([command, '--help']);
      expect(help.stdout).toContain('--concurrency <n>');
      const bad = await runFailover([command, fixture('dns-plan.yaml'), '--concurrency', '0']);
      expect(bad.code).toBe(exitCodes.invalid);
      expect(bad.stderr).toContain('--concurrency must be a whole number of at least 1, got "0".');
    }
  });
});
