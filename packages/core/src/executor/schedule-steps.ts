import type { StepGraph } from './step-graph.js';

export interface ScheduleOptions {
  /** Steps running at once, at most. */
  concurrency: number;
  /** Steps already done (completed in an earlier run): they count as succeeded and are not run. */
  done: ReadonlySet<number>;
  /** Stops starting new steps; running ones are left to finish (they watch the signal themselves). */
  signal: AbortSignal;
}

/**
 * Runs the DAG with as much parallelism as the dependencies allow, bounded by
 * `concurrency`: a counter of unfinished dependencies per step and a FIFO ready
 * queue (seeded in topological order, so runs are deterministic). O(steps + edges).
 *
 * After the first failure no new step starts (fail fast); the steps already
 * running finish, so their outcome, and what they changed, is known for rollback.
 * Resolves when nothing runs any more; the steps never started are those not
 * reported to `runStep`.
 *
 * @param runStep runs the step at an index; resolves true when it succeeded
 */
export function scheduleSteps(
  graph: StepGraph,
  options: ScheduleOptions,
  runStep: (index: number) => Promise<boolean>,
): Promise<void> {
  const count = graph.ids.length;
  const waitingFor = new Int32Array(count);
  const ready: number[] = [];
  for (let index = 0; index < count; index++) {
    if (options.done.has(index)) continue;
    let unfinished = 0;
    for (const dep of graph.deps[index]!) if (!options.done.has(dep)) unfinished++;
    waitingFor[index] = unfinished;
    if (unfinished === 0) ready.push(index);
  }

  return new Promise<void>((resolve) => {
    let head = 0;
    let running = 0;
    let stopped = false;
    const { concurrency, signal } = options;

    const pump = () => {
      if (signal.aborted) stopped = true;
      while (!stopped && running < concurrency && head < ready.length) {
        const index = ready[head++]!;
        running++;
        runStep(index).then(
          (succeeded) => finished(index, succeeded),
          () => finished(index, false),
        );
      }
      if (running === 0 && (stopped || head === ready.length)) resolve();
    };

    const finished = (index: number, succeeded: boolean) => {
      running--;
      if (succeeded) {
        for (const dependent of graph.dependents[index]!) {
          if (--waitingFor[dependent]! === 0) ready.push(dependent);
        }
      } else {
        stopped = true;
      }
      pump();
    };

    pump();
  });
}
