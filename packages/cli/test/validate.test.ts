import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exitCodes } from '../src/index.js';
import { fixture, runFailover } from './cli-harness.js';

const noStack = (text: string) => expect(text).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);

describe('failover validate', () => {
  it('lists every problem of an invalid plan at once and exits with the invalid-plan code', async () => {
    const run = await runFailover(['validate', fixture('invalid-plan.yaml')]);
    expect(run.code).toBe(exitCodes.invalid);
    expect(run.stdout).toBe('');
    const [headline, ...problems] = run.stderr.trim().split('\n');
    expect(headline).toMatch(
      /^error The plan packages\/cli\/test\/fixtures\/invalid-plan\.yaml is invalid: \d+ problems\.$/,
    );
    const expected = [
      ['steps[0].check.maxTtl', 'invalid-type'],
      ['steps[1].id', 'duplicate-id'],
      ['steps[2].dependsOn[0]', 'unknown-dependency'],
      ['steps[2].colour', 'unknown-field'],
      ['steps[3].action.mode', 'forced-without-fence'],
      ['steps[3].action.mode', 'forced-without-approval'],
    ];
    for (const [path, code] of expected) {
      expect(problems.some((line) => line.trim().startsWith(`${path}: `) && line.endsWith(`[${code}]`))).toBe(
        true,
      );
    }
    expect(problems.length).toBe(Number(/invalid: (\d+) problems/.exec(headline!)![1]));
    noStack(run.stderr);
  });

  it('answers in JSON with --json, problems included', async () => {
    const run = await runFailover(['validate', fixture('invalid-plan.yaml'), '--json']);
    expect(run.code).toBe(exitCodes.invalid);
    const answer = JSON.parse(run.stdout) as { valid: boolean; problems: { path: string; code: string }[] };
    expect(answer.valid).toBe(false);
    expect(answer.problems.map((problem) => problem.code)).toEqual(
      expect.arrayContaining([
        'invalid-type',
        'duplicate-id',
        'unknown-dependency',
        'unknown-field',
        'forced-without-fence',
        'forced-without-approval',
      ]),
    );
  });

  it('accepts a valid YAML plan and a valid TS plan module', async () => {
    const yaml = await runFailover(['validate', fixture('dns-plan.yaml')]);
    expect(yaml.code).toBe(exitCodes.success);
    expect(yaml.stdout).toContain('plan fake-dns-failover is valid (6 steps, 1 group)');
    const ts = await runFailover(['validate', fixture('grouped-plan.ts')]);
    expect(ts.code).toBe(exitCodes.success);
    expect(ts.stdout).toContain('plan grouped is valid');
  });

  it('builds a definePlan builder exported as default, and lists every problem of a broken one', async () => {
    const built = await runFailover(['validate', fixture('builder-plan.ts')]);
    expect(built.code).toBe(exitCodes.success);
    expect(built.stdout).toContain('plan builder-plan is valid (4 steps, 0 groups)');

    const broken = await runFailover(['validate', fixture('broken-builder-plan.ts')]);
    expect(broken.code).toBe(exitCodes.invalid);
    expect(broken.stderr).toContain('is invalid: 3 problems.');
    expect(broken.stderr).toContain('[after-without-step]');
    expect(broken.stderr).toContain('steps[1].dependsOn[0]: Step "switch-api" depends on "ttl-lo"');
    expect(broken.stderr).toContain('steps[2].steps: steps must have at least 1 item. [too-small]');
  });

  it('reports user mistakes in one sentence with the path, never a stack trace', async () => {
    const missing = await runFailover(['validate', 'no/such/plan.yaml']);
    expect(missing.code).toBe(exitCodes.invalid);
    expect(missing.stderr).toBe('error The plan file no/such/plan.yaml does not exist.\n');

    // Written here, not kept as a fixture: the repository's linter parses YAML files too.
    const dir = mkdtempSync(join(tmpdir(), 'failover-cli-'));
    const notYaml = join(dir, 'not-yaml.yaml');
    writeFileSync(notYaml, 'version: 1\nid: [unclosed\nname: oops\n');
    const badYaml = await runFailover(['validate', notYaml]);
    rmSync(dir, { recursive: true, force: true });
    expect(badYaml.code).toBe(exitCodes.invalid);
    expect(badYaml.stderr).toMatch(/^error The plan file .*not-yaml\.yaml is not valid YAML: .*line \d+/);
    expect(badYaml.stderr.trim().split('\n')).toHaveLength(1);

    const flag = await runFailover(['validate', fixture('dns-plan.yaml'), '--strict-mode']);
    expect(flag.code).toBe(exitCodes.invalid);
    expect(flag.stderr).toBe('error Unknown option --strict-mode. See `failover validate --help`.\n');

    const command = await runFailover(['valdate', 'x']);
    expect(command.code).toBe(exitCodes.invalid);
    expect(command.stderr).toContain('Unknown command "valdate"');

    const brokenModule = await runFailover(['validate', fixture('broken-module.ts')]);
    expect(brokenModule.code).toBe(exitCodes.invalid);
    expect(brokenModule.stderr).toMatch(/^error Could not load .*broken-module\.ts: /);
    for (const run of [missing, badYaml, flag, command, brokenModule]) noStack(run.stderr);
  });
});
