import { describe, expect, it } from 'vitest';
import { resolveReplicaTarget } from './kubernetes-replica-target.js';

describe('resolveReplicaTarget', () => {
  it.each([
    [50, 3, 2],
    [100, 7, 7],
    [110, 10, 11],
    [1, 4, 1],
    [0, 9, 0],
    [33.3, 3, 1],
  ])('%s %% of %s recorded replicas is %s', (percent, ofRecorded, expected) => {
    expect(resolveReplicaTarget({ percent, ofRecorded })._unsafeUnwrap()).toBe(expected);
  });

  it('passes an absolute count through and refuses invalid input', () => {
    expect(resolveReplicaTarget({ replicas: 4 })._unsafeUnwrap()).toBe(4);
    expect(resolveReplicaTarget({ replicas: -1 })._unsafeUnwrapErr()).toMatchObject({
      kind: 'invalid-input',
      path: 'replicas',
    });
    expect(resolveReplicaTarget({ percent: Number.NaN, ofRecorded: 3 })._unsafeUnwrapErr().path).toBe(
      'percent',
    );
    expect(resolveReplicaTarget({ percent: 50, ofRecorded: 2.5 })._unsafeUnwrapErr().path).toBe('ofRecorded');
  });
});
