import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FailoverPlan, type PlanStep, validatePlan } from '@failover/core';
import { afterAll, describe, expect, it } from 'vitest';
import { exitCodes } from '../src/index.js';
import { runFailover } from './cli-harness.js';

const dir = mkdtempSync(join(tmpdir(), 'failover-reprotect-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const leaves = (steps: readonly PlanStep[]): PlanStep[] =>
  steps.flatMap((step) => (step.kind === 'group' ? leaves(step.steps) : [step]));

const record = { zone: 'Z1', name: 'api.example.com.', type: 'A' };
// A forced promotion of an RDS replica, behind its approval and fence.
const forced: FailoverPlan = {
  version: 1,
  id: 'orders',
  name: 'Orders',
  sourceRegion: 'us-east-1',
  targetRegion: 'us-west-2',
  steps: [
    { id: 'approve', kind: 'approval', message: 'Lose what was not replicated?', timeoutMs: 60_000 },
    {
      id: 'fence',
      kind: 'action',
      dependsOn: ['approve'],
      fence: true,
      action: { type: 'dns', provider: 'dns', record, desired: { targets: { east: { enabled: false } } } },
    },
    {
      id: 'promote',
      kind: 'action',
      dependsOn: ['fence'],
      action: {
        type: 'database',
        provider: 'rds',
        database: { id: 'orders' },
        region: 'us-west-2',
        mode: 'forced',
        memberId: 'orders-west',
        frontedBy: [record.name],
      },
    },
  ],
};

describe('failover failback --reprotect', () => {
  it('writes the reprotect plan (run first) beside the failback', async () => {
    const planFile = join(dir, 'orders.json');
    writeFileSync(planFile, JSON.stringify(forced));
    const out = join(dir, 'failback.json');
    const reprotectOut = join(dir, 'reprotect.json');
    const run = await runFailover([
      'failback',
      planFile,
      '--out',
      out,
      '--reprotect',
      'promote=orders-east,provider=rds-reprotect,switch-back=orders-west',
      '--reprotect-out',
      reprotectOut,
    ]);
    expect(run.code, run.stderr).toBe(exitCodes.success);
    const reprotect = JSON.parse(readFileSync(reprotectOut, 'utf8')) as FailoverPlan;
    expect(validatePlan(reprotect).isOk()).toBe(true);
    expect(leaves(reprotect.steps)).toEqual([
      expect.objectContaining({
        id: 'recreate-replica-promote',
        action: expect.objectContaining({
          type: 'resource',
          provider: 'rds-reprotect',
          resource: expect.objectContaining({
            replicaId: 'orders-east',
            writer: { region: 'us-west-2', memberId: 'orders-west' },
          }),
        }),
      }),
    ]);
    const failback = JSON.parse(readFileSync(out, 'utf8')) as FailoverPlan;
    expect(leaves(failback.steps).find((step) => step.id === 'switch-back-promote')).toMatchObject({
      action: { database: { id: 'orders-west' } },
    });
    expect(run.stderr).toContain('Run "orders-failback-reprotect"');
  });

  it('says when the reprotect plan is not written, and refuses a malformed --reprotect', async () => {
    const planFile = join(dir, 'orders.json');
    writeFileSync(planFile, JSON.stringify(forced));
    const unwritten = await runFailover(['failback', planFile, '--reprotect', 'promote=orders-east']);
    expect(unwritten.code, unwritten.stderr).toBe(exitCodes.success);
    expect(unwritten.stderr).toContain('pass --reprotect-out');
    const bad = await runFailover(['failback', planFile, '--reprotect', 'promote=orders-east,color=blue']);
    expect(bad.code).not.toBe(exitCodes.success);
    expect(bad.stderr).toContain('--reprotect "promote=orders-east,color=blue"');
  });
});
