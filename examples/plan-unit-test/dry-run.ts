// Dry-runs the checkout plan on the simulator and prints what each step would do.
//
//   node --conditions=@failover/source --import tsx examples/plan-unit-test/dry-run.ts
import { renderReportMarkdown, runPlan } from '@failover/core';
import plan from './checkout-failover-plan.js';
import { checkoutWorld, simulatedProviders } from './checkout-world.js';

const built = plan.build();
if (built.isErr()) {
  for (const problem of built.error.problems) console.error(`${problem.path}: ${problem.message}`);
  process.exit(2);
}

const world = checkoutWorld();
const result = await runPlan(built.value, {
  providers: simulatedProviders(world),
  time: world.time, // the world's virtual clock
  dryRun: true,
  // Sends nothing in a dry-run; a notify step with no notifier bound would make the plan invalid.
  notifier: async () => {},
});
if (result.isErr()) {
  // An invalid plan or provider binding: every problem, before any call was made.
  console.error(result.error.message);
  process.exit(2);
}

console.log(renderReportMarkdown(result.value.report));
console.log(`Mutating calls made: ${world.calls({ mutating: true }).length}`);
process.exit(result.value.status === 'succeeded' ? 0 : 1);
