import { describe, expect, it } from 'vitest';
import type { DnsDesiredState } from '../providers/dns/dns-desired-state.js';
import { validatePlan } from './validate-plan.js';

const plan = (desired: DnsDesiredState) => ({
  version: 1,
  id: 'canary',
  name: 'Canary',
  sourceRegion: 'us-west-2',
  targetRegion: 'us-east-1',
  steps: [
    {
      id: 'to-10',
      kind: 'action',
      action: { type: 'dns', provider: 'dns', record: { name: 'api.example.com.' }, desired },
    },
  ],
});
const problems = (desired: DnsDesiredState) => {
  const validated = validatePlan(plan(desired));
  return validated.isErr()
    ? validated.error.problems.map(({ path, code, message }) => ({ path, code, message }))
    : [];
};
const path = 'steps[0].action.desired.advanceTowards';

describe('validatePlan: advanceTowards', () => {
  it('accepts a stage on the way to shares that sum to 100', () => {
    expect(
      problems({ weightPercents: { east: 10, west: 90 }, advanceTowards: { east: 100, west: 0 } }),
    ).toEqual([]);
    // Shares read from weights (1/3) need not be whole.
    expect(
      problems({
        weightPercents: { a: 10, b: 90 },
        advanceTowards: { a: 100 / 3, b: 200 / 3 },
      }),
    ).toEqual([]);
  });

  it('refuses it without weightPercents, not summing to 100, or with no way forward', () => {
    expect(problems({ advanceTowards: { east: 100, west: 0 } })).toEqual([
      {
        path,
        code: 'invalid-advance-towards',
        message: 'DNS step "to-10": advanceTowards needs weightPercents, the stage it advances through.',
      },
    ]);
    expect(
      problems({ weightPercents: { east: 10, west: 90 }, advanceTowards: { east: 90, west: 0 } }),
    ).toEqual([
      {
        path,
        code: 'invalid-advance-towards',
        message: 'DNS step "to-10": the shares of advanceTowards sum to 90, not 100.',
      },
    ]);
    expect(
      problems({ weightPercents: { east: 10, west: 90 }, advanceTowards: { east: 10, west: 90 } }).map(
        (problem) => problem.code,
      ),
    ).toEqual(['invalid-advance-towards']);
  });

  it('refuses a share out of 0-100 in the schema', () => {
    expect(
      problems({ weightPercents: { east: 10, west: 90 }, advanceTowards: { east: 120, west: -20 } }).some(
        (problem) => problem.path.startsWith(path),
      ),
    ).toBe(true);
  });
});
