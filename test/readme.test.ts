import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createAws } from '@failover/aws';
import { type FailoverPlan, type PlanValidationError, type Result, validatePlan } from '@failover/core';
import { afterAll, describe, expect, it } from 'vitest';

// The README's plan example must stay true: it is extracted, imported and validated
// against the AWS providers its names stand for.

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const section = readme.slice(readme.indexOf('## A plan in 20 lines'));
const planSource = /```ts\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
const generated = new URL('./readme-plan.generated.ts', import.meta.url);

afterAll(() => rmSync(generated, { force: true }));

describe('README', () => {
  it('shows a plan of at most 20 lines of code', () => {
    const lines = planSource.split('\n').filter((line) => line.trim() !== '');
    expect(lines.length).toBeGreaterThan(5);
    expect(lines.length).toBeLessThanOrEqual(20);
  });

  it('builds a plan that validates against the AWS providers it names', async () => {
    writeFileSync(generated, planSource);
    const module = (await import(generated.href)) as { plan: Result<FailoverPlan, PlanValidationError> };
    expect(module.plan.isOk()).toBe(true);
    const aws = createAws({ region: 'us-west-2' });
    const providers = {
      route53: aws.dnsProvider(),
      aurora: aws.databaseFailover(),
      eks: aws.clusterScaler(),
    };
    const validated = validatePlan(module.plan._unsafeUnwrap(), { providers });
    expect(validated.isOk() ? [] : validated.error.problems).toEqual([]);
  });

  it('names the commands CI and a new user run', () => {
    expect(readme).toContain('npx -y pnpm@10.34.8 install --frozen-lockfile && npx -y pnpm@10.34.8 drill');
    expect(readme).toContain('npx -y pnpm@10.34.8 install --frozen-lockfile && npx -y pnpm@10.34.8 test:all');
    expect(readFileSync(new URL('../.ci/run', import.meta.url), 'utf8')).toContain(
      'npx -y pnpm@10.34.8 test:all',
    );
  });
});
