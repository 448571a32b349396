import { describe, expect, it } from 'vitest';
import { validatePlan } from '../plan/validate-plan.js';
import { createVirtualTime } from '../time/virtual-time.js';
import { runPlan } from './run-plan.js';
import { testPlan, waitStep } from './test-support/test-plans.js';

const sixWaits = (concurrency?: number) =>
  testPlan(
    [
      {
        id: 'all',
        kind: 'group',
        mode: 'parallel',
        steps: Array.from({ length: 6 }, (_, index) => waitStep(`w${index}`, 10_000)),
      },
    ],
    concurrency === undefined ? {} : { concurrency },
  );

const duration = async (plan: ReturnType<typeof sixWaits>, concurrency?: number) => {
  const run = (
    await runPlan(plan, { providers: {}, time: createVirtualTime(), ...(concurrency && { concurrency }) })
  )._unsafeUnwrap();
  expect(run.status).toBe('succeeded');
  return run.endedAt - run.startedAt;
};

describe('concurrency', () => {
  it("comes from the run's option, else the plan, else a default that runs a wide stage at once", async () => {
    expect(await duration(sixWaits())).toBe(10_000);
    expect(await duration(sixWaits(2))).toBe(30_000);
    expect(await duration(sixWaits(2), 3)).toBe(20_000);
  });

  it('is a whole number of at least 1 in a plan', () => {
    for (const bad of [0, 1.5, -3]) {
      const result = validatePlan(sixWaits(bad), { providers: {} });
      expect(result.isErr()).toBe(true);
      expect(JSON.stringify(result._unsafeUnwrapErr())).toContain('concurrency');
    }
  });
});
