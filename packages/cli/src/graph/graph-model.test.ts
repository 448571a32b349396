import { compilePlan, type FailoverPlan, type PlanStep } from '@failover/core';
import { describe, expect, it } from 'vitest';
import { planGraph } from './graph-model.js';
import { renderDot } from './render-dot.js';
import { renderMermaid } from './render-mermaid.js';

const wait = (id: string): PlanStep => ({ id, kind: 'wait', durationMs: 1_000 });
const parallel = (id: string, steps: PlanStep[]): PlanStep => ({
  id,
  kind: 'group',
  mode: 'parallel',
  steps,
});
const sequential = (id: string, steps: PlanStep[]): PlanStep => ({
  id,
  kind: 'group',
  mode: 'sequential',
  steps,
});
const range = (count: number) => Array.from({ length: count }, (_, index) => index);

function graphOf(steps: PlanStep[]) {
  const plan: FailoverPlan = {
    version: 1,
    id: 'graph',
    name: 'Graph',
    sourceRegion: 'us-east-1',
    targetRegion: 'eu-west-1',
    steps,
  };
  return planGraph(compilePlan(plan)._unsafeUnwrap());
}

describe('planGraph on wide plans', () => {
  it('draws one group-to-group edge between two wide stages, not width² leaf edges', () => {
    const stages = [0, 1].map((stage) =>
      parallel(
        `stage-${stage}`,
        range(500).map((i) => wait(`s${stage}-${i}`)),
      ),
    );
    const graph = graphOf([sequential('stages', stages)]);
    expect(graph.edges).toEqual([{ from: 'stage-0', to: 'stage-1', fromKind: 'group', toKind: 'group' }]);
    const mermaid = renderMermaid(graph).split('\n');
    expect(mermaid).toContain('  stage_0 --> stage_1');
    expect(mermaid.length).toBeLessThan(1_000 + 20);
    const dot = renderDot(graph);
    expect(dot).toContain('"s0-0" -> "s1-0" [ltail=cluster_1, lhead=cluster_2];');
    expect(dot).toContain('compound=true;');
  });

  it('draws from the chain ends to the next wide group, and keeps one-to-one edges as they are', () => {
    const chains = range(3).map((c) =>
      sequential(
        `c${c}`,
        range(4).map((i) => wait(`c${c}-${i}`)),
      ),
    );
    const graph = graphOf([
      sequential('stages', [
        parallel('first', chains),
        parallel(
          'fan',
          range(20).map((i) => wait(`f${i}`)),
        ),
      ]),
    ]);
    // 3 chains of 3 inner edges, then each chain end to the fan-out group.
    expect(graph.edges).toHaveLength(9 + 3);
    expect(
      graph.edges.filter((edge) => edge.toKind === 'group').map((edge) => `${edge.from}->${edge.to}`),
    ).toEqual(['c0-3->fan', 'c1-3->fan', 'c2-3->fan']);
  });

  it('goes through a junction when neither side is a whole group', () => {
    const chains = (prefix: string) =>
      range(3).map((c) => sequential(`${prefix}${c}`, [wait(`${prefix}${c}-a`), wait(`${prefix}${c}-b`)]));
    const graph = graphOf([
      sequential('stages', [parallel('one', chains('x')), parallel('two', chains('y'))]),
    ]);
    expect(graph.junctions).toEqual(['join-1']);
    // Inner chain edges (6), plus 3 in and 3 out of the junction instead of 9.
    expect(graph.edges).toHaveLength(6 + 3 + 3);
    expect(renderMermaid(graph)).toContain('join_1(( ))');
    expect(renderDot(graph)).toContain('"join-1" [label="", shape=point, width=0.08];');
  });
});
