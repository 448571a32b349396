import type { StepGraph } from './step-graph.js';

export interface ScheduleOptions {
  /** Steps running at once, at most. */
  concurrency: number;
  /** Steps already done (completed in an earlier run): they count as succeeded and are not run. */
  done: ReadonlySet<number>;
  /** Stops starting new steps; running ones are left to finish (they watch the signal themselves). */
  signal: AbortSignal;
  /**
   * Called with the steps of one scheduling turn (those started together, because they
   * became ready together) before any of them runs: what lets DNS changes be batched.
   */
  starting?: (indexes: readonly number[]) => void;
}

/**
 * Runs the DAG with as much parallelism as the dependencies allow, bounded by
 * `concurrency`: a counter of unfinished dependencies per step and a FIFO ready
 * queue (seeded in topological order, so runs are deterministic). O(steps + edges),
 * with the graph's joins standing for dependencies shared by many steps.
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
  const { done } = options;
  // Steps, then joins (zero-work nodes for a deps array shared by many steps; see StepGraph).
  const waitingFor = new Int32Array(graph.dependents.length);
  const ready: number[] = [];
  const joinDone = new Uint8Array(graph.joinDeps.length);
  for (let join = 0; join < graph.joinDeps.length; join++) {
    let unfinished = 0;
    for (const dep of graph.joinDeps[join]!) if (!done.has(dep)) unfinished++;
    waitingFor[count + join] = unfinished;
    if (unfinished === 0) joinDone[join] = 1;
  }
  for (let index = 0; index < count; index++) {
    if (done.has(index)) continue;
    let unfinished = 0;
    const join = graph.joinOf[index]!;
    if (join !== -1) unfinished = joinDone[join - count] ? 0 : 1;
    else for (const dep of graph.deps[index]!) if (!done.has(dep)) unfinished++;
    waitingFor[index] = unfinished;
    if (unfinished === 0) ready.push(index);
  }

  // A finished node lets its dependents go; a join whose last dependency finished is done at once.
  // Returns whether a join was passed, so that the caller can restore index order.
  const release = (node: number): boolean => {
    let joined = false;
    for (const dependent of graph.dependents[node]!) {
      if (--waitingFor[dependent]! !== 0) continue;
      if (dependent < count) ready.push(dependent);
      else {
        release(dependent);
        joined = true;
      }
    }
    return joined;
  };

  return new Promise<void>((resolve) => {
    let head = 0;
    let running = 0;
    let stopped = false;
    const { concurrency, signal, starting } = options;

    const start = (index: number) => {
      running++;
      runStep(index).then(
        (succeeded) => finished(index, succeeded),
        () => finished(index, false),
      );
    };

    const pump = () => {
      if (signal.aborted) stopped = true;
      if (!stopped && starting && running < concurrency && head < ready.length) {
        const from = head;
        head = Math.min(ready.length, head + (concurrency - running));
        const turn = ready.slice(from, head);
        starting(turn);
        for (const index of turn) start(index);
      }
      while (!stopped && running < concurrency && head < ready.length) start(ready[head++]!);
      if (running === 0 && (stopped || head === ready.length)) resolve();
    };

    const finished = (index: number, succeeded: boolean) => {
      running--;
      if (succeeded) {
        const from = ready.length;
        // Without joins the steps made ready come in index order: keep that order with them.
        if (release(index) && ready.length - from > 1) {
          const released = ready.slice(from).sort((a, b) => a - b);
          for (let position = 0; position < released.length; position++)
            ready[from + position] = released[position]!;
        }
      } else {
        stopped = true;
      }
      pump();
    };

    pump();
  });
}
