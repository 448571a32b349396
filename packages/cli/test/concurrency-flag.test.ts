import { describe, expect, it } from 'vitest';
import { wholeNumberOption } from '../src/cli-args.js';
import { drillCommand } from '../src/commands/drill-command.js';
import { runCommand, sessionOptions } from '../src/commands/run-command.js';

describe('--concurrency', () => {
  it('is offered by run and drill and reaches the run session', () => {
    expect(runCommand.help).toContain('--concurrency <n>');
    expect(drillCommand.help).toContain('--concurrency <n>');
    expect(sessionOptions('plan.yaml', { concurrency: '16' }).concurrency).toBe(16);
    expect(sessionOptions('plan.yaml', {}).concurrency).toBeUndefined();
  });

  it('must be a whole number of at least 1', () => {
    for (const bad of ['0', '-2', '1.5', 'lots']) {
      expect(() => wholeNumberOption('concurrency', bad)).toThrow(
        `--concurrency must be a whole number of at least 1, got "${bad}".`,
      );
    }
  });
});
