import { describe, expect, it } from 'vitest';
import { type CompiledPlan, compilePlan } from '../plan/compile-plan.js';
import type { FailoverPlan } from '../plan/failover-plan.js';
import type { PlanStep, WaitStep } from '../plan/step.js';
import { createVirtualTime } from '../time/virtual-time.js';
import type { ExecutorEvent } from './executor-event.js';
import { runPlan } from './run-plan.js';
import { scheduleSteps } from './schedule-steps.js';
import { buildStepGraph, type StepGraph } from './step-graph.js';

const wait = (id: string, durationMs: number, dependsOn?: string[]): WaitStep => ({
  id,
  kind: 'wait',
  durationMs,
  ...(dependsOn && { dependsOn }),
});
const group = (
  id: string,
  mode: 'sequential' | 'parallel',
  steps: PlanStep[],
  dependsOn?: string[],
): PlanStep => ({
  id,
  kind: 'group',
  mode,
  steps,
  ...(dependsOn && { dependsOn }),
});
const planOf = (steps: PlanStep[]): FailoverPlan => ({
  version: 1,
  id: 'wide',
  name: 'wide',
  sourceRegion: 'a',
  targetRegion: 'b',
  steps,
});
const compiled = (plan: FailoverPlan): CompiledPlan => compilePlan(plan)._unsafeUnwrap();

/** A sequential group of two parallel stages of `width` wait steps, durations varied so stage 1 ends at many times. */
function twoStages(width: number): FailoverPlan {
  const stage = (prefix: string, base: number) =>
    Array.from({ length: width }, (_, index) => wait(`${prefix}${index}`, base + ((index * 7919) % 997)));
  return planOf([
    group('stages', 'sequential', [
      group('a', 'parallel', stage('a', 1_000)),
      group('b', 'parallel', stage('b', 5_000)),
    ]),
  ]);
}

const edgeCount = (graph: StepGraph) => graph.dependents.reduce((sum, list) => sum + list.length, 0);

/** The same graph without joins: every step lists its dependencies itself. */
function withoutJoins(graph: StepGraph): StepGraph {
  const count = graph.ids.length;
  const dependents: number[][] = Array.from({ length: count }, () => []);
  for (let index = 0; index < count; index++)
    for (const dep of graph.deps[index]!) dependents[dep]!.push(index);
  return { ...graph, joinOf: new Int32Array(count).fill(-1), joinDeps: [], dependents };
}

/** The order `scheduleSteps` starts steps in, each finishing after `delay(index)` microtask turns. */
async function startOrder(
  graph: StepGraph,
  concurrency: number,
  done: ReadonlySet<number> = new Set(),
  delay: (index: number) => number = () => 0,
): Promise<number[]> {
  const started: number[] = [];
  await scheduleSteps(graph, { concurrency, done, signal: new AbortController().signal }, async (index) => {
    started.push(index);
    for (let turn = 0; turn < delay(index); turn++) await Promise.resolve();
    return true;
  });
  return started;
}

describe('buildStepGraph', () => {
  it('keeps the edges of wide stages after wide stages linear, through one join per shared dependency list', () => {
    const c = compiled(twoStages(2_000));
    // The compiled plan keeps its meaning: every b step waits for every a step, through one shared array.
    expect(c.steps.get('b0')!.deps).toHaveLength(2_000);
    expect(c.steps.get('b1999')!.deps).toBe(c.steps.get('b0')!.deps);

    const graph = buildStepGraph(c);
    // 2,000 edges into the join, 2,000 out of it: not 4,000,000.
    expect(edgeCount(graph)).toBe(4_000);
    expect(graph.joinDeps).toHaveLength(1);
    // What the report reads is join-free: steps only, every dependency listed.
    const b0 = graph.indexOf.get('b0')!;
    expect(graph.deps[b0]).toHaveLength(2_000);
    expect(Math.max(...graph.deps[b0]!)).toBeLessThan(graph.ids.length);
    expect(graph.order).toHaveLength(4_000);
  });

  it('adds no join where it would save nothing', () => {
    const graph = buildStepGraph(
      compiled(
        planOf([
          group('s', 'sequential', [wait('a', 1), group('p', 'parallel', [wait('b', 1), wait('c', 1)])]),
        ]),
      ),
    );
    expect(graph.joinDeps).toEqual([]);
    expect(edgeCount(graph)).toBe(2);
  });

  it('starts steps in the same order as without joins, whatever the concurrency and durations', async () => {
    const plan = planOf([
      wait('x', 1),
      group('s', 'sequential', [
        group('p1', 'parallel', [wait('a0', 1), wait('a1', 1), wait('a2', 1), wait('a3', 1, ['x'])]),
        group('p2', 'parallel', [wait('b0', 1), wait('b1', 1), wait('b2', 1, ['x']), wait('b3', 1)]),
        group('p3', 'parallel', [wait('c0', 1), group('c1', 'sequential', [wait('c10', 1), wait('c11', 1)])]),
      ]),
      wait('y', 1, ['a1', 'b2']),
      group('q', 'parallel', [wait('d0', 1), wait('d1', 1), wait('d2', 1)], ['p2']),
    ]);
    const graph = buildStepGraph(compiled(plan));
    expect(graph.joinDeps.length).toBeGreaterThan(0);
    const plain = withoutJoins(graph);
    const delays = [(index: number) => (index * 5) % 3, (index: number) => 3 - (index % 4), () => 0];
    for (const concurrency of [1, 2, 3, Number.POSITIVE_INFINITY]) {
      for (const delay of delays) {
        const order = await startOrder(graph, concurrency, new Set(), delay);
        expect(order).toHaveLength(graph.ids.length);
        expect(order).toEqual(await startOrder(plain, concurrency, new Set(), delay));
      }
    }
  });

  it('resumes past a join whose steps all completed earlier, and waits at one that is partly done', async () => {
    const graph = buildStepGraph(compiled(twoStages(50)));
    const aSteps = graph.ids.flatMap((id, index) => (id.startsWith('a') ? [index] : []));
    const bSteps = graph.ids.flatMap((id, index) => (id.startsWith('b') ? [index] : []));

    const allDone = await startOrder(graph, Number.POSITIVE_INFINITY, new Set(aSteps));
    expect(allDone).toEqual(bSteps);

    const partly = new Set(aSteps.slice(0, 30));
    const order = await startOrder(graph, Number.POSITIVE_INFINITY, partly);
    expect(order).toEqual([...aSteps.slice(30), ...bSteps]);
    expect(order).toEqual(await startOrder(withoutJoins(graph), Number.POSITIVE_INFINITY, partly));
  });
});

describe('runPlan on wide stages', () => {
  it('starts every step of a 2,000-wide stage only after every step of the 2,000-wide stage before it ended', async () => {
    const plan = twoStages(2_000);
    const events: ExecutorEvent[] = [];
    const time = createVirtualTime();
    const run = (
      await runPlan(plan, {
        providers: {},
        time,
        concurrency: Number.POSITIVE_INFINITY,
        onEvent: (event) => events.push(event),
      })
    )._unsafeUnwrap();
    expect(run.status).toBe('succeeded');

    const stageOf = (id: string) => (id.startsWith('a') ? 'a' : 'b');
    const starts = { a: [] as number[], b: [] as number[] };
    const ends = { a: [] as number[], b: [] as number[] };
    let lastAEndEvent = -1;
    let firstBStartEvent = Number.POSITIVE_INFINITY;
    events.forEach((event, position) => {
      if (event.type === 'step-start') {
        starts[stageOf(event.stepId)].push(event.at);
        if (stageOf(event.stepId) === 'b') firstBStartEvent = Math.min(firstBStartEvent, position);
      } else if (event.type === 'step-end') {
        ends[stageOf(event.stepId)].push(event.at);
        if (stageOf(event.stepId) === 'a') lastAEndEvent = Math.max(lastAEndEvent, position);
      }
    });
    expect(starts.a).toHaveLength(2_000);
    expect(starts.b).toHaveLength(2_000);
    expect(ends.a).toHaveLength(2_000);
    expect(ends.b).toHaveLength(2_000);
    // In the event stream and on the clock: no b step before the last a step ended ...
    expect(firstBStartEvent).toBeGreaterThan(lastAEndEvent);
    const lastAEnd = Math.max(...ends.a);
    expect(Math.min(...starts.b)).toBe(lastAEnd);
    // ... and all of stage 1 at once, then all of stage 2 at once: nothing waits longer than it must.
    expect(new Set(starts.a)).toEqual(new Set([run.startedAt]));
    expect(new Set(starts.b)).toEqual(new Set([lastAEnd]));
    const longest = (base: number) =>
      base + Math.max(...Array.from({ length: 2_000 }, (_, i) => (i * 7919) % 997));
    expect(run.endedAt - run.startedAt).toBe(longest(1_000) + longest(5_000));

    // The report knows the plan's steps only: no join in the timeline or on the critical path.
    const ids = new Set(run.steps.map((step) => step.stepId));
    expect(ids.size).toBe(4_000);
    expect(run.report.steps).toHaveLength(4_000);
    for (const step of run.report.steps) expect(ids.has(step.id)).toBe(true);
    expect(run.report.criticalPath.durationMs).toBe(run.endedAt - run.startedAt);
    expect(run.report.criticalPath.stepIds).toHaveLength(2);
    const [first, second] = run.report.criticalPath.stepIds;
    expect(first).toMatch(/^a\d+$/);
    expect(second).toMatch(/^b\d+$/);
    expect(events.filter((event) => event.type === 'step-start' || event.type === 'step-end')).toHaveLength(
      8_000,
    );
  });
});
