import { describe, expect, it } from 'vitest';
import { parsePlan } from '../plan/parse-plan.js';
import { defaultPolicyRules } from './default-policy.js';

const base = {
  version: 1,
  id: 'watched',
  name: 'Watched plan',
  sourceRegion: 'us-east-1',
  targetRegion: 'us-west-2',
  steps: [{ id: 'wait', kind: 'wait', durationMs: 1 }],
};

const watch = {
  checks: [
    {
      name: 'api',
      class: 'critical',
      signal: 'api',
      intervalMs: 10_000,
      failureThreshold: 3,
      timeoutMs: 5_000,
      quorum: 2,
    },
    {
      name: 'errors',
      class: 'important',
      role: 'error-rate',
      signal: 'prom',
      condition: { type: 'at-most', value: 0.1 },
      aggregate: 'p99',
      intervalMs: 60_000,
      failureThreshold: 5,
      timeoutMs: 30_000,
    },
  ],
  signals: [
    {
      id: 'api',
      type: 'http',
      url: 'https://api.example.com/health',
      json: [{ path: '$.status', equals: 'pass' }],
    },
    {
      id: 'prom',
      type: 'prometheus',
      url: 'http://prometheus:9090',
      query: 'sum(rate(errors[5m]))',
      unit: 'ratio',
    },
  ],
  policy: { rules: [...defaultPolicyRules], minTimeInStateMs: 60_000, allowAutomaticPromotion: false },
};

describe('the plan document: watch', () => {
  it('accepts checks, signals and a policy (the defaults written out)', () => {
    const parsed = parsePlan({ ...base, watch });
    expect(parsed.isOk()).toBe(true);
    expect(parsed._unsafeUnwrap().watch?.checks).toHaveLength(2);
  });

  it('rejects an unknown class, a rule deciding NO_ACTION, a bad JSON path and an unknown field, naming each', () => {
    const broken = structuredClone(watch) as Record<string, unknown> & typeof watch;
    (broken.checks[0] as Record<string, unknown>).class = 'urgent';
    (broken.policy.rules[0] as unknown as Record<string, unknown>).decision = 'NO_ACTION';
    (broken.signals[0] as { json: unknown[] }).json = [{ path: 'status', equals: 'pass' }];
    (broken as Record<string, unknown>).autoFailback = true;
    const parsed = parsePlan({ ...base, watch: broken });
    const paths = parsed._unsafeUnwrapErr().problems.map((problem) => problem.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        expect.stringContaining('watch.checks[0].class'),
        expect.stringContaining('watch.policy.rules[0].decision'),
        expect.stringContaining('watch.signals[0].json[0].path'),
      ]),
    );
    expect(
      parsed._unsafeUnwrapErr().problems.some((problem) => problem.message.includes('autoFailback')),
    ).toBe(true);
  });
});
