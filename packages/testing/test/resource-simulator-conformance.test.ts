import { runResourceProviderConformance } from '../src/conformance/index.js';
import { createSimulatedWorld } from '../src/index.js';
import { simulatorHooks } from './fixtures.js';

// Virtual time makes long deadlines free; 10 s is shorter than any simulated resource update.
const timeouts = { deadlineMs: 10_000, abortAfterMs: 1_000 };

let seed = 700;
const flag = { service: 'flags', flag: 'checkout-region' };
const world = () =>
  createSimulatedWorld({ seed: seed++ }).seed({
    resources: [
      {
        ref: flag,
        state: { value: 'us-east-1', owner: 'payments', backup: { completedAt: 0, phase: 'Completed' } },
        immutable: ['owner'],
      },
    ],
  });

runResourceProviderConformance({
  name: 'simulator',
  timeouts,
  setup() {
    const w = world();
    return {
      provider: w.resourceProvider(),
      fixture: {
        resource: flag,
        seeded: { value: 'us-east-1' },
        change: { value: 'eu-west-1' },
        missing: { service: 'flags', flag: 'no-such-flag' },
        refusals: [
          {
            title: 'a change of an immutable field',
            kind: 'precondition-failed',
            desired: () => ({ owner: 'ops' }),
          },
        ],
        conditions: {
          holds: { path: 'backup.phase', equals: 'Completed' },
          fails: { path: 'backup.completedAt', maxAgeMs: -1 },
        },
      },
      ...simulatorHooks(w),
    };
  },
});

// Without the optional hooks: the cases that need them must show as skipped, never pass silently.
runResourceProviderConformance({
  name: 'simulator without hooks',
  timeouts,
  setup() {
    const w = world();
    return {
      provider: w.resourceProvider('sim.resource.bare'),
      fixture: {
        resource: flag,
        seeded: { value: 'us-east-1' },
        change: { value: 'eu-west-1' },
        missing: { service: 'flags', flag: 'no-such-flag' },
      },
      time: w.time,
    };
  },
});
