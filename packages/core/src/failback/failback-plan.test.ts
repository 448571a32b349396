import { describe, expect, it } from 'vitest';
import type { JournalEntry } from '../journal/journal-entry.js';
import { renderNotification } from '../notify/notification-templates.js';
import { type FailoverPlan, type PlanStep, validatePlan } from '../plan/index.js';
import type { DnsRecordSet } from '../providers/dns/dns-record-set.js';
import { failbackPlan } from './failback-plan.js';

const record = { zone: 'Z1', name: 'api.example.com.', type: 'A' };
const weightedBefore: DnsRecordSet = {
  name: record.name,
  type: 'A',
  ttl: 60,
  routing: 'weighted',
  targets: [
    { id: 'east', values: ['192.0.2.1'], weight: 100, enabled: true },
    { id: 'west', values: ['192.0.2.2'], weight: 0, enabled: true },
  ],
};

const failover: FailoverPlan = {
  version: 1,
  id: 'shop',
  name: 'Shop',
  sourceRegion: 'us-east-1',
  targetRegion: 'us-west-2',
  objectives: { rtoMs: 900_000, rpoMs: 60_000 },
  steps: [
    {
      id: 'promote',
      kind: 'action',
      action: {
        type: 'database',
        provider: 'db',
        database: { id: 'g' },
        region: 'us-west-2',
        mode: 'planned',
      },
    },
    {
      id: 'switch',
      kind: 'action',
      dependsOn: ['promote'],
      action: { type: 'dns', provider: 'dns', record, desired: { activeTarget: 'west' } },
    },
  ],
};

const journal: JournalEntry[] = [
  { type: 'run-start', runId: 'r1', at: 1_000, planId: 'shop', fingerprint: 'f' },
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
        id: 'g',
        failoverInProgress: false,
        members: [
          { id: 'e', region: 'us-east-1', role: 'writer', status: 'available' },
          { id: 'w', region: 'us-west-2', role: 'reader', status: 'available' },
        ],
      },
    },
  },
  {
    type: 'step-end',
    runId: 'r1',
    at: 3_000,
    stepId: 'switch',
    status: 'succeeded',
    changed: true,
    startedAt: 2_000,
    attempts: 1,
    undo: { before: weightedBefore },
  },
  { type: 'run-end', runId: 'r1', at: 4_000, status: 'succeeded' },
];

function leaves(steps: readonly PlanStep[]): PlanStep[] {
  return steps.flatMap((step) => (step.kind === 'group' ? leaves(step.steps) : [step]));
}

describe('failbackPlan', () => {
  it('moves a weighted record back in canary stages, after the database, with the DR stability left to wait', () => {
    const { plan, notes } = failbackPlan(failover, {
      journal,
      stableForMs: 10_000,
      now: 9_000,
      canaryChecks: [{ type: 'http', url: 'http://127.0.0.1:1/health' }],
    })._unsafeUnwrap();
    const steps = leaves(plan.steps);
    const byId = new Map(steps.map((step) => [step.id, step]));
    expect(plan.sourceRegion).toBe('us-west-2');
    expect(plan.targetRegion).toBe('us-east-1');
    expect(plan.objectives).toEqual({ rtoMs: 900_000, rpoMs: 60_000 });
    // 10 s of stability asked for, 5 s of it already since the failover ended.
    expect(byId.get('dr-region-stable')).toMatchObject({ kind: 'wait', durationMs: 5_000 });
    expect(byId.get('reprotect-promote')).toMatchObject({
      kind: 'verify',
      // Once the writer is back (the failback run again), the gate has nothing left to guard.
      check: { type: 'replication-lag', region: 'us-east-1', maxLagMs: 5_000, orWriterIn: 'us-east-1' },
    });
    expect(byId.get('switch-back-promote')).toMatchObject({
      action: { type: 'database', region: 'us-east-1', mode: 'planned' },
    });
    // Each stage only advances towards the original shares: a re-run never moves traffic back.
    expect((byId.get('switch-to-10') as { action: { desired: unknown } }).action.desired).toEqual({
      weightPercents: { east: 10, west: 90 },
      advanceTowards: { east: 100, west: 0 },
    });
    expect((byId.get('switch-to-50') as { action: { desired: unknown } }).action.desired).toEqual({
      weightPercents: { east: 50, west: 50 },
      advanceTowards: { east: 100, west: 0 },
    });
    expect(validatePlan(plan).isOk(), JSON.stringify(validatePlan(plan))).toBe(true);
    // The last stage restores exactly what was there: the weights the failover changed.
    expect((byId.get('switch-to-100') as { action: { desired: unknown } }).action.desired).toEqual({
      targets: { east: { weight: 100 }, west: { weight: 0 } },
    });
    const order = plan.steps.map((step) => step.id);
    expect(order).toEqual(['gates', 'databases', 'canary-10', 'canary-50', 'canary-100']);
    expect(byId.get('canary-10-check-1')).toMatchObject({ kind: 'check', check: { type: 'http' } });
    expect(notes).toEqual([]);
  });

  it('announces the failback from the DR region back to the original one', () => {
    const { plan } = failbackPlan(failover, { journal, now: 9_000 })._unsafeUnwrap();
    const data = {
      planId: plan.id,
      planName: plan.name,
      runId: 'r2',
      stepId: 'run',
      sourceRegion: plan.sourceRegion,
      targetRegion: plan.targetRegion,
    };
    expect(renderNotification('failback-started', data).title).toBe(
      `Failback started: ${plan.name} (us-west-2 -> us-east-1)`,
    );
    expect(renderNotification('failback-completed', data).title).toBe(
      `Failback completed: ${plan.name} serves from us-east-1`,
    );
  });

  it('leaves a database whose writer was read without a region (its region dark) where it is, and says so', () => {
    const darkWriter = journal.map((entry) =>
      entry.type === 'step-end' && entry.stepId === 'promote'
        ? {
            ...entry,
            undo: {
              before: {
                id: 'g',
                failoverInProgress: false,
                members: [
                  { id: 'e', region: '', role: 'writer', status: 'unavailable' },
                  { id: 'w', region: 'us-west-2', role: 'reader', status: 'available' },
                ],
              },
            },
          }
        : entry,
    ) as JournalEntry[];
    const { plan, notes } = failbackPlan(failover, { journal: darkWriter, now: 9_000 })._unsafeUnwrap();
    expect(validatePlan(plan).isOk(), JSON.stringify(validatePlan(plan))).toBe(true);
    expect(plan.targetRegionAliases).toBeUndefined();
    expect(leaves(plan.steps).map((step) => step.id)).not.toContain('switch-back-promote');
    expect(notes.join('\n')).toContain('Step "promote": where its writer was before is unknown');

    const told = failbackPlan(failover, {
      journal: darkWriter,
      now: 9_000,
      originalRegions: { promote: 'us-east-1' },
    })._unsafeUnwrap();
    expect(leaves(told.plan.steps).map((step) => step.id)).toContain('switch-back-promote');
  });

  it('without a journal, reverses only what the plan says and names the rest', () => {
    const { plan, notes, cleanup } = failbackPlan(failover)._unsafeUnwrap();
    const ids = leaves(plan.steps).map((step) => step.id);
    expect(ids).toContain('switch-back-promote');
    expect(ids.some((id) => id.startsWith('switch-to-'))).toBe(false);
    expect(cleanup).toBeUndefined();
    expect(notes.join('\n')).toContain('api.example.com.');
  });

  it('warns that a forced promotion may have broken the replication the reprotect gate waits for', () => {
    const forced: FailoverPlan = {
      ...failover,
      steps: failover.steps.map((step) =>
        step.kind === 'action' && step.action.type === 'database'
          ? { ...step, action: { ...step.action, mode: 'forced' as const } }
          : step,
      ),
    };
    const { notes } = failbackPlan(forced, { journal })._unsafeUnwrap();
    expect(notes.join('\n')).toContain('re-create the replica in us-east-1');
  });

  it('refuses canary stages that do not end at 100 %', () => {
    expect(failbackPlan(failover, { canaryPercents: [10, 50] }).isErr()).toBe(true);
    expect(failbackPlan(failover, { canaryPercents: [50, 10, 100] }).isErr()).toBe(true);
  });
});
