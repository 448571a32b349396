import { describe, expect, it } from 'vitest';
import { FailoverError } from '../errors/failover-error.js';
import { type CompiledPlan, compilePlan } from './compile-plan.js';
import type { FailoverPlan } from './failover-plan.js';
import { PlanValidationError } from './plan-validation-error.js';
import type { GroupStep, PlanStep, WaitStep } from './step.js';

const leaf = (id: string, dependsOn?: string[]): WaitStep => ({
  id,
  kind: 'wait',
  durationMs: 1,
  ...(dependsOn && { dependsOn }),
});
const seq = (id: string, steps: PlanStep[], dependsOn?: string[]): GroupStep => ({
  id,
  kind: 'group',
  mode: 'sequential',
  steps,
  ...(dependsOn && { dependsOn }),
});
const par = (id: string, steps: PlanStep[], dependsOn?: string[]): GroupStep => ({
  id,
  kind: 'group',
  mode: 'parallel',
  steps,
  ...(dependsOn && { dependsOn }),
});
const plan = (steps: PlanStep[]): FailoverPlan => ({
  version: 1,
  id: 'p',
  name: 'p',
  sourceRegion: 'a',
  targetRegion: 'b',
  steps,
});

function compiled(steps: PlanStep[]): CompiledPlan {
  const result = compilePlan(plan(steps));
  if (result.isErr()) throw new Error(`expected ok, got ${result.error.message}`);
  return result.value;
}

function problems(steps: PlanStep[]) {
  const result = compilePlan(plan(steps));
  if (result.isOk()) throw new Error('expected problems');
  return result.error.problems;
}

const deps = (c: CompiledPlan, id: string) => [...c.steps.get(id)!.deps].sort();

/** Every leaf `id` transitively waits for. */
function closure(c: CompiledPlan, id: string): string[] {
  const seen = new Set<string>();
  const todo = [...c.steps.get(id)!.deps];
  while (todo.length > 0) {
    const next = todo.pop()!;
    if (seen.has(next)) continue;
    seen.add(next);
    todo.push(...c.steps.get(next)!.deps);
  }
  return [...seen].sort();
}

function expectTopological(c: CompiledPlan) {
  const at = new Map(c.order.map((id, index) => [id, index]));
  expect(at.size).toBe(c.steps.size);
  for (const [id, step] of c.steps)
    for (const dep of step.deps) expect(at.get(dep)!).toBeLessThan(at.get(id)!);
}

describe('compilePlan ordering', () => {
  it('gives top-level steps no implicit order and keeps plan order', () => {
    const c = compiled([leaf('a'), leaf('b'), leaf('c')]);
    expect(c.order).toEqual(['a', 'b', 'c']);
    for (const id of ['a', 'b', 'c']) expect(deps(c, id)).toEqual([]);
  });

  it('orders a step after a later step it depends on, and keeps the rest in plan order', () => {
    const c = compiled([leaf('a', ['c']), leaf('b'), leaf('c'), leaf('d', ['a'])]);
    expect(c.order).toEqual(['c', 'a', 'b', 'd']);
    expect(deps(c, 'a')).toEqual(['c']);
    expectTopological(c);
  });

  it('chains the children of a sequential group', () => {
    const c = compiled([seq('g', [leaf('a'), leaf('b'), leaf('c')])]);
    expect(deps(c, 'a')).toEqual([]);
    expect(deps(c, 'b')).toEqual(['a']);
    expect(deps(c, 'c')).toEqual(['b']);
  });

  it('adds no edges between the children of a parallel group', () => {
    const c = compiled([par('g', [leaf('a'), leaf('b'), leaf('c')])]);
    for (const id of ['a', 'b', 'c']) expect(deps(c, id)).toEqual([]);
  });

  it('treats a nested group as one unit of a sequential group', () => {
    const c = compiled([
      seq('outer', [
        par('p', [leaf('a'), leaf('b')]),
        leaf('c'),
        seq('s', [leaf('d'), leaf('e')]),
        leaf('f'),
      ]),
    ]);
    expect(deps(c, 'a')).toEqual([]);
    expect(deps(c, 'b')).toEqual([]);
    expect(deps(c, 'c')).toEqual(['a', 'b']);
    expect(deps(c, 'd')).toEqual(['c']);
    expect(deps(c, 'e')).toEqual(['d']);
    // `s` is done when `e` is, and `e` already waits for `d`.
    expect(closure(c, 'f')).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(deps(c, 'f')).toEqual(['e']);
    expect(c.steps.get('a')!.groups).toEqual(['outer', 'p']);
    expect(c.steps.get('e')!.groups).toEqual(['outer', 's']);
    expect(c.steps.get('c')!.groups).toEqual(['outer']);
    expectTopological(c);
  });

  it('applies dependsOn of a group to every leaf inside it', () => {
    const c = compiled([
      leaf('pre'),
      par('p', [leaf('a'), seq('s', [leaf('b'), leaf('c')])], ['pre']),
      seq('q', [leaf('d'), par('r', [leaf('e'), leaf('f')])], ['pre']),
    ]);
    for (const id of ['a', 'b', 'd']) expect(deps(c, id)).toEqual(['pre']);
    expect(closure(c, 'c')).toEqual(['b', 'pre']);
    expect(closure(c, 'e')).toEqual(['d', 'pre']);
    expect(closure(c, 'f')).toEqual(['d', 'pre']);
    expect(c.order.indexOf('pre')).toBe(0);
  });

  it('makes a step that depends on a group wait for every leaf of it', () => {
    const c = compiled([par('p', [leaf('a'), seq('s', [leaf('b'), leaf('c')])]), leaf('z', ['p'])]);
    expect(closure(c, 'z')).toEqual(['a', 'b', 'c']);
    expect(deps(c, 'z')).toEqual(['a', 'c']);
  });

  it('lets a step inside a group depend on a step outside it', () => {
    const c = compiled([seq('s', [leaf('a'), leaf('b', ['x'])]), leaf('x')]);
    expect(deps(c, 'b')).toEqual(['a', 'x']);
    expectTopological(c);
  });

  it('merges duplicate dependencies', () => {
    const c = compiled([leaf('a'), par('p', [leaf('b', ['a', 'a'])], ['a'])]);
    expect(c.steps.get('b')!.deps).toEqual(['a']);
  });

  it('keeps the plan object and only leaf steps', () => {
    const p = plan([seq('s', [leaf('a')])]);
    const c = compilePlan(p)._unsafeUnwrap();
    expect(c.plan).toBe(p);
    expect([...c.steps.keys()]).toEqual(['a']);
    expect(c.steps.get('a')!.step).toBe((p.steps[0] as GroupStep).steps[0]);
  });
});

describe('compilePlan problems', () => {
  it('reports every problem at once, with paths', () => {
    const found = problems([
      leaf('a'),
      leaf('a'),
      par('g', [leaf('b', ['nope', 'b'])]),
      seq('empty', []),
      par('h', [leaf('c', ['h'])], ['c']),
    ]);
    expect(found.map((problem) => [problem.code, problem.path])).toEqual(
      expect.arrayContaining([
        ['duplicate-id', 'steps[1].id'],
        ['unknown-dependency', 'steps[2].steps[0].dependsOn[0]'],
        ['self-dependency', 'steps[2].steps[0].dependsOn[1]'],
        ['empty-group', 'steps[3].steps'],
        ['self-dependency', 'steps[4].steps[0].dependsOn[0]'],
        ['self-dependency', 'steps[4].dependsOn[0]'],
      ]),
    );
    expect(found).toHaveLength(6);
    expect(found.find((problem) => problem.code === 'unknown-dependency')!.message).toContain('"nope"');
  });

  it('returns a typed invalid-input error', () => {
    const error = compilePlan(plan([leaf('a'), leaf('a')]))._unsafeUnwrapErr();
    expect(error).toBeInstanceOf(PlanValidationError);
    expect(FailoverError.isInstance(error)).toBe(true);
    expect(PlanValidationError.isInstance(error)).toBe(true);
    expect(error.kind).toBe('invalid-input');
    expect(error.provider).toBe('plan');
    expect(error.operation).toBe('validate');
    expect(error.path).toBe('steps[1].id');
    expect(error.message).toContain('steps[1].id');
    expect(error.toJSON().problems).toHaveLength(1);
  });

  it('reports a cycle with its path', () => {
    const found = problems([leaf('a', ['c']), leaf('b', ['a']), leaf('c', ['b']), leaf('d')]);
    expect(found).toHaveLength(1);
    expect(found[0]!.code).toBe('cycle');
    expect(found[0]!.path).toBe('steps[0]');
    expect(found[0]!.message).toContain('a -> c -> b -> a');
  });

  it('finds a cycle made by a sequential group and a dependsOn', () => {
    const found = problems([seq('s', [leaf('a', ['b']), leaf('b')])]);
    expect(found.map((problem) => problem.code)).toEqual(['cycle']);
    expect(found[0]!.message).toContain('a -> b -> a');
  });

  it('finds a cycle between groups', () => {
    const found = problems([par('p', [leaf('a')], ['q']), par('q', [leaf('b')], ['p'])]);
    expect(found.map((problem) => problem.code)).toEqual(['cycle']);
    expect(found[0]!.message).toMatch(/a -> b -> a/);
  });

  it('survives malformed input without throwing', () => {
    const bad = { ...plan([]), steps: [null, { kind: 'wait' }, { id: 'x', kind: 'group', steps: 'no' }] };
    const found = compilePlan(bad as unknown as FailoverPlan)._unsafeUnwrapErr().problems;
    expect(found.map((problem) => problem.code)).toEqual(['missing-id', 'empty-group']);
  });
});

describe('compilePlan at scale', () => {
  it('compiles 10,000 steps in nested groups', () => {
    // 50 stages in sequence, each 20 parallel chains of 10 steps.
    const stages = Array.from({ length: 50 }, (_, s) =>
      par(
        `stage-${s}`,
        Array.from({ length: 20 }, (_, c) =>
          seq(
            `chain-${s}-${c}`,
            Array.from({ length: 10 }, (_, i) => leaf(`s${s}-c${c}-${i}`)),
          ),
        ),
      ),
    );
    const c = compiled([seq('all', stages)]);
    expect(c.steps.size).toBe(10_000);
    expect(c.order).toHaveLength(10_000);
    expect(deps(c, 's1-c3-0')).toHaveLength(20);
    expect(deps(c, 's1-c3-1')).toEqual(['s1-c3-0']);
    expectTopological(c);
  });

  it('gives the leaves of a stage that wait for the same leaves one shared deps array', () => {
    const stage = (prefix: string, dependsOn?: string[]) =>
      par(
        prefix,
        Array.from({ length: 5_000 }, (_, i) => leaf(`${prefix}${i}`, i === 7 ? dependsOn : undefined)),
      );
    // Two 5,000-wide stages: 25,000,000 dependencies, held in one array of 5,000 ids.
    const c = compiled([leaf('x'), seq('s', [stage('a'), stage('b', ['x']), stage('c')])]);
    expect(c.steps.get('b0')!.deps).toHaveLength(5_000);
    expect(c.steps.get('b4999')!.deps).toBe(c.steps.get('b0')!.deps);
    expect(c.steps.get('c0')!.deps).toBe(c.steps.get('c4999')!.deps);
    expect(c.steps.get('a0')!.deps).toEqual([]);
    // A leaf with its own dependsOn has its own array, and keeps the stage's dependencies.
    expect(c.steps.get('b7')!.deps).not.toBe(c.steps.get('b0')!.deps);
    expect(deps(c, 'b7')).toEqual([...deps(c, 'b0'), 'x'].sort());
    expect(c.order.slice(0, 3)).toEqual(['x', 'a0', 'a1']);
    // Topological, each shared array checked once (expectTopological would make 50,000,000 assertions).
    const at = new Map(c.order.map((id, index) => [id, index]));
    const latest = new Map<readonly string[], number>();
    const misplaced = c.order.filter((id) => {
      const mine = c.steps.get(id)!.deps;
      if (!latest.has(mine)) latest.set(mine, Math.max(-1, ...mine.map((dep) => at.get(dep)!)));
      return latest.get(mine)! >= at.get(id)!;
    });
    expect(misplaced).toEqual([]);
    expect(latest.size).toBeLessThan(20);
    // A cycle through a shared array is still found.
    const cyclic = problems([
      seq('s', [par('a', [leaf('a0', ['b1']), leaf('a1')]), par('b', [leaf('b0'), leaf('b1')])]),
    ]);
    expect(cyclic.map((problem) => problem.code)).toEqual(['cycle']);
    expect(cyclic[0]!.message).toContain('a0 -> b1 -> a0');
  });

  it('compiles a 10,000-step chain and a 10,000-step cycle without exhausting the stack', () => {
    const chain = Array.from({ length: 10_000 }, (_, i) => leaf(`n${i}`, i > 0 ? [`n${i - 1}`] : []));
    expect(compiled([...chain].reverse()).order[9_999]).toBe('n9999');
    const cyclic = [leaf('n0', ['n9999']), ...chain.slice(1)];
    expect(problems(cyclic).map((problem) => problem.code)).toEqual(['cycle']);
  });
});

describe('compilePlan on input that bypassed the types', () => {
  it('reports absurd nesting instead of throwing', () => {
    let step: PlanStep = leaf('leaf');
    for (let depth = 0; depth < 100_000; depth++) step = par(`g${depth}`, [step]);
    const error = compilePlan(plan([step]))._unsafeUnwrapErr();
    expect(error.problems.map((problem) => problem.code)).toEqual(['unreadable']);
  });
});
