import { describe, expect, it } from 'vitest';
import { emptyCallTally } from '../executor/call-counts.js';
import type { StepResult } from '../executor/run-result.js';
import { compilePlan, type LeafStep } from '../plan/compile-plan.js';
import type { PlanStep } from '../plan/step.js';
import { achievedRto } from './achieved-rto.js';
import { criticalPath } from './critical-path.js';
import { type ReportGraph, reportGraph } from './report-graph.js';

/** mulberry32: the same graphs on every run. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random DAG in topological order where many steps reuse an earlier step's dependency array. */
function randomGraph(random: () => number, count: number): ReportGraph {
  const deps: (readonly number[])[] = [];
  const lists: { list: number[]; last: number }[] = [];
  for (let index = 0; index < count; index++) {
    const reusable = lists.filter(({ last }) => last < index);
    if (reusable.length > 0 && random() < 0.6) {
      deps.push(reusable[Math.floor(random() * reusable.length)]!.list);
      continue;
    }
    const list = [
      ...new Set(
        Array.from({ length: Math.floor(random() * Math.min(index, 5)) }, () => Math.floor(random() * index)),
      ),
    ];
    deps.push(list);
    if (list.length > 1) lists.push({ list, last: Math.max(...list) });
  }
  return { order: Array.from({ length: count }, (_, index) => `s${index}`), deps };
}

const unshared = (graph: ReportGraph): ReportGraph => ({
  order: graph.order,
  deps: graph.deps.map((list) => [...list]),
});

function stepsAndResults(random: () => number, count: number) {
  const steps: LeafStep[] = [];
  const results: StepResult[] = [];
  for (let index = 0; index < count; index++) {
    const id = `s${index}`;
    const roll = random();
    const step = (
      roll < 0.3
        ? {
            id,
            kind: 'action',
            action: { type: 'dns', provider: 'dns', record: { name: 'a.' }, desired: { activeTarget: 'b' } },
          }
        : roll < 0.7
          ? { id, kind: 'verify', check: { type: 'http', url: 'https://a.example/' } }
          : { id, kind: 'wait', durationMs: 1 }
    ) as LeafStep;
    steps.push(step);
    // Few distinct end times, so ties are common.
    const endedAt = 10 + Math.floor(random() * 4);
    results.push({
      stepId: id,
      name: id,
      kind: step.kind,
      status: 'succeeded',
      changed: false,
      attempts: 1,
      startedAt: 0,
      endedAt,
      durationMs: endedAt,
      calls: emptyCallTally(),
    });
  }
  return { steps, results };
}

describe('report passes over shared dependency arrays', () => {
  it('find the same critical path and achieved RTO as over unshared copies', () => {
    const random = prng(7);
    let shared = 0;
    for (let round = 0; round < 300; round++) {
      const count = 2 + Math.floor(random() * 40);
      const graph = randomGraph(random, count);
      shared += graph.deps.filter(
        (list, index) => list.length > 1 && graph.deps.indexOf(list) !== index,
      ).length;
      const copy = unshared(graph);
      const durations = Array.from({ length: count }, () => Math.floor(random() * 3));
      expect(criticalPath(graph, durations)).toEqual(criticalPath(copy, durations));
      const { steps, results } = stepsAndResults(random, count);
      const input = { steps, results, origin: 0, objectiveMs: 12 };
      expect(achievedRto({ ...input, graph })).toEqual(achievedRto({ ...input, graph: copy }));
    }
    // The comparison means something only if arrays were actually shared.
    expect(shared).toBeGreaterThan(300);
  });

  it('break a tie between verify steps as over unshared copies: the latest dependent wins', () => {
    // s0 (traffic) <- x2 (verify, ends 20) and <- s3 (verify, ends 20, with s4 sharing its deps array).
    const list = [0, 1];
    const graph: ReportGraph = { order: ['s0', 's1', 's2', 's3', 's4'], deps: [[], [], [0], list, list] };
    const { steps, results } = stepsAndResults(prng(1), 5);
    steps[0] = { ...(steps[0] as LeafStep), kind: 'action', action: { type: 'dns' } } as LeafStep;
    steps[1] = { id: 's1', kind: 'wait', durationMs: 1 };
    steps[2] = { id: 's2', kind: 'verify', check: { type: 'http' } } as LeafStep;
    steps[3] = { id: 's3', kind: 'verify', check: { type: 'http' } } as LeafStep;
    steps[4] = { id: 's4', kind: 'wait', durationMs: 1 };
    for (const [index, endedAt] of [10, 10, 20, 20, 30].entries())
      results[index] = { ...results[index]!, endedAt };
    const input = { steps, results, origin: 0 };
    expect(achievedRto({ ...input, graph: unshared(graph) }).measuredTo).toBe('s3');
    expect(achievedRto({ ...input, graph })).toEqual(achievedRto({ ...input, graph: unshared(graph) }));
  });

  it('share an index array wherever the compiled plan shares a deps array', () => {
    const stage = (prefix: string): PlanStep[] =>
      Array.from({ length: 4 }, (_, index) => ({ id: `${prefix}${index}`, kind: 'wait', durationMs: 1 }));
    const compiled = compilePlan({
      version: 1,
      id: 'p',
      name: 'p',
      sourceRegion: 'a',
      targetRegion: 'b',
      steps: [
        {
          id: 's',
          kind: 'group',
          mode: 'sequential',
          steps: [
            { id: 'a', kind: 'group', mode: 'parallel', steps: stage('a') },
            { id: 'b', kind: 'group', mode: 'parallel', steps: stage('b') },
          ],
        },
      ],
    })._unsafeUnwrap();
    const graph = reportGraph(compiled);
    const at = (id: string) => graph.order.indexOf(id);
    expect(graph.deps[at('b0')]).toEqual([0, 1, 2, 3].map((index) => at(`a${index}`)));
    expect(graph.deps[at('b3')]).toBe(graph.deps[at('b0')]);
    expect(criticalPath(graph, [1, 5, 1, 1, 2, 1, 1, 1]).stepIds).toEqual(['a1', 'b0']);
  });
});
