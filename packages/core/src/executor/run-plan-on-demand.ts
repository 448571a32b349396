import type { FailoverError } from '../errors/failover-error.js';
import { toFailoverError } from '../errors/to-failover-error.js';
import type { FailoverPlan } from '../plan/failover-plan.js';
import { err, ResultAsync } from '../result.js';
import type { RunOptions } from './run-options.js';
import type { RunResult } from './run-result.js';

// The executor is a third of core's code; the modules that import core without
// running a plan (adapters, the report, the conformance kit) should not parse it.
// Built, it is a chunk of its own, loaded by the first `runPlan` call.

/**
 * Runs a failover plan: validates it (`validatePlan` with the given providers; an
 * invalid plan is the error, before any provider call), takes the journal's lock
 * and resumes an unfinished run of the same plan, runs the steps as a DAG with
 * deadlines, retries and journaling, and rolls back on a failure. The result is an
 * error only for an invalid plan or options, a lock conflict, a resume of another
 * plan version, or a journal failure before any step ran; every other outcome
 * (failures and cancellation included) is an ok `RunResult` with the report.
 * Never throws. The executor's code is loaded on the first call.
 *
 * @example
 * const run = await runPlan(plan, { providers });
 * if (run.isOk()) console.log(run.value.status, renderReportMarkdown(run.value.report));
 */
export function runPlan(plan: FailoverPlan, options: RunOptions): ResultAsync<RunResult, FailoverError> {
  return new ResultAsync(
    import('./run-plan.js').then(
      (executor) => executor.runPlan(plan, options),
      (thrown: unknown) => err(toFailoverError(thrown, 'executor', 'runPlan')),
    ),
  );
}
