import { describe, expect, it } from 'vitest';
import { criticalPath } from './critical-path.js';

describe('criticalPath', () => {
  it('follows the longest chain of durations, not the most steps', () => {
    // a(5) -> b(1) -> c(1) ; a -> d(10) ; c,d -> e(2)
    const graph = { order: ['a', 'b', 'c', 'd', 'e'], deps: [[], [0], [1], [0], [2, 3]] };
    expect(criticalPath(graph, [5, 1, 1, 10, 2])).toEqual({ stepIds: ['a', 'd', 'e'], durationMs: 17 });
    expect(criticalPath(graph, [5, 20, 1, 10, 2])).toEqual({ stepIds: ['a', 'b', 'c', 'e'], durationMs: 28 });
  });

  it('is empty for an empty plan', () => {
    expect(criticalPath({ order: [], deps: [] }, [])).toEqual({ stepIds: [], durationMs: 0 });
  });
});
