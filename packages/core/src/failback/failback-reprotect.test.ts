import { describe, expect, it } from 'vitest';
import type { JournalEntry } from '../journal/journal-entry.js';
import type { FailoverPlan, PlanStep } from '../plan/index.js';
import { failbackPlan } from './failback-plan.js';

// An RDS-style forced failover: the replica in us-west-2 was promoted, which broke replication.
const failover: FailoverPlan = {
  version: 1,
  id: 'orders',
  name: 'Orders',
  sourceRegion: 'us-east-1',
  targetRegion: 'us-west-2',
  steps: [
    {
      id: 'promote',
      kind: 'action',
      action: {
        type: 'database',
        provider: 'rds',
        database: { id: 'orders' },
        region: 'us-west-2',
        mode: 'forced',
      },
    },
  ],
};

const journal: JournalEntry[] = [
  { type: 'run-start', runId: 'r1', at: 1_000, planId: 'orders', fingerprint: 'f' },
  {
    type: 'step-end',
    runId: 'r1',
    at: 2_000,
    stepId: 'promote',
    status: 'succeeded',
    changed: true,
    startedAt: 1_000,
    attempts: 1,
    undo: {
      before: {
        id: 'orders',
        failoverInProgress: false,
        members: [
          { id: 'orders', region: 'us-east-1', role: 'writer', status: 'available' },
          {
            id: 'arn:aws:rds:us-west-2:1:db:orders-west',
            region: 'us-west-2',
            role: 'reader',
            status: 'available',
          },
        ],
      },
    },
  },
  { type: 'run-end', runId: 'r1', at: 3_000, status: 'succeeded' },
];

function leaves(steps: readonly PlanStep[]): PlanStep[] {
  return steps.flatMap((step) => (step.kind === 'group' ? leaves(step.steps) : [step]));
}
const database = (plan: FailoverPlan) =>
  (plan.steps.find((step) => step.id === 'databases') as Extract<PlanStep, { kind: 'group' }>)
    .steps[0] as Extract<PlanStep, { kind: 'group' }>;

describe('failbackPlan reprotect', () => {
  it('after a forced promotion, a reprotect plan re-creates the named replica from the promoted writer', () => {
    const { plan, reprotect, notes } = failbackPlan(failover, {
      journal,
      stableForMs: 0,
      reprotect: {
        promote: {
          replicaId: 'orders-east',
          providerOptions: { 'aws.rds': { instanceClass: 'db.r6g.large' } },
        },
      },
    })._unsafeUnwrap();
    // The failback itself keeps its wait, switch-back and verify; the replica comes first, in its own plan.
    expect(database(plan).steps.map((step) => step.id)).toEqual([
      'reprotect-promote',
      'switch-back-promote',
      'verify-writer-promote',
    ]);
    // An old primary standing alone in the original region must not pass the reprotect gate.
    expect(database(plan).steps[0]).toMatchObject({ check: { type: 'replication-lag' } });
    expect((database(plan).steps[0] as { check: { orWriterIn?: string } }).check.orWriterIn).toBeUndefined();
    expect(reprotect).toMatchObject({
      id: 'orders-failback-reprotect',
      sourceRegion: 'us-west-2',
      targetRegion: 'us-east-1',
    });
    expect(leaves(reprotect!.steps).map((step) => step.id)).toEqual(['recreate-replica-promote']);
    expect(notes).toContain(
      'Run "orders-failback-reprotect" (the replicas a forced promotion broke) before "orders-failback": its switch-back needs them.',
    );
    const recreate = leaves(reprotect!.steps).find((step) => step.id === 'recreate-replica-promote');
    expect(recreate).toEqual({
      id: 'recreate-replica-promote',
      name: 'Replica orders-east in us-east-1, replicating from arn:aws:rds:us-west-2:1:db:orders-west',
      kind: 'action',
      action: {
        type: 'resource',
        provider: 'rds-reprotect',
        resource: {
          database: { id: 'orders' },
          region: 'us-east-1',
          replicaId: 'orders-east',
          // The writer is the member the journal saw in the DR region: the one promoted.
          writer: { region: 'us-west-2', memberId: 'arn:aws:rds:us-west-2:1:db:orders-west' },
          providerOptions: { 'aws.rds': { instanceClass: 'db.r6g.large' } },
        },
        desired: { state: 'replicating' },
      },
      timeoutMs: 30 * 60_000,
    });
    expect(notes.join('\n')).not.toContain('promoted with data loss');
    expect(notes.join('\n')).toContain('reprotect["promote"].switchBackDatabase');
  });

  it('names the provider, the writer and the switch-back ref when given, and adds the designation step', () => {
    const { plan, reprotect } = failbackPlan(failover, {
      reprotect: {
        promote: {
          replicaId: 'orders-east',
          provider: 'sql-reprotect',
          writerId: 'orders-west',
          designate: true,
          switchBackDatabase: { id: 'orders-west' },
          timeoutMs: 3_600_000,
        },
      },
    })._unsafeUnwrap();
    const byId = new Map([...leaves(plan.steps), ...leaves(reprotect!.steps)].map((step) => [step.id, step]));
    expect(byId.get('recreate-replica-promote')).toMatchObject({
      timeoutMs: 3_600_000,
      action: { provider: 'sql-reprotect', resource: { writer: { memberId: 'orders-west' } } },
    });
    expect(byId.get('designate-replica-promote')).toMatchObject({
      action: { provider: 'sql-reprotect', desired: { state: 'replicating', designated: true } },
    });
    expect(byId.get('switch-back-promote')).toMatchObject({
      action: { database: { id: 'orders-west' }, memberId: 'orders-east', mode: 'planned' },
    });
    expect(byId.get('verify-writer-promote')).toMatchObject({ check: { database: { id: 'orders-west' } } });
  });

  it('keeps the wait alone without a named replica, and ignores reprotect for a planned switchover', () => {
    const plain = failbackPlan(failover, { journal })._unsafeUnwrap();
    expect(plain.reprotect).toBeUndefined();
    expect(plain.notes.join('\n')).toContain('reprotect["promote"]');

    const planned: FailoverPlan = {
      ...failover,
      steps: [
        {
          ...failover.steps[0]!,
          action: { ...(failover.steps[0] as { action: object }).action, mode: 'planned' },
        } as PlanStep,
      ],
    };
    const ignored = failbackPlan(planned, {
      journal,
      reprotect: { promote: { replicaId: 'orders-east' } },
    })._unsafeUnwrap();
    expect(ignored.reprotect).toBeUndefined();
    expect(ignored.notes.join('\n')).toContain('is not needed and is ignored');
  });

  it('names a reprotect provider missing from the providers, and a database provider without the capability', () => {
    const db = { specificationVersion: 'v1', kind: 'database', provider: 'aws.rds' } as never;
    const { notes } = failbackPlan(failover, {
      journal,
      providers: { rds: db },
      reprotect: { promote: { replicaId: 'orders-east' } },
    })._unsafeUnwrap();
    expect(notes.join('\n')).toContain(
      'no reprotect provider "rds-reprotect" among the providers: register databaseReprotectResource(<the "rds" provider>) under that name (and "rds" has no DatabaseReprotectV1 capability)',
    );
  });

  it('without the journal nor writerId, says which writer is unknown instead of guessing', () => {
    const { plan, notes } = failbackPlan(failover, {
      reprotect: { promote: { replicaId: 'orders-east' } },
    })._unsafeUnwrap();
    expect(leaves(plan.steps).some((step) => step.id.startsWith('recreate-replica-'))).toBe(false);
    expect(notes.join('\n')).toContain('reprotect["promote"].writerId');
  });
});
