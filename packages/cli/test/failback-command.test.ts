import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FailoverPlan, type PlanStep, validatePlan } from '@failover/core';
import { afterAll, describe, expect, it } from 'vitest';
import { exitCodes } from '../src/index.js';
import { runFailover } from './cli-harness.js';

const dir = mkdtempSync(join(tmpdir(), 'failover-failback-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const leaves = (steps: readonly PlanStep[]): PlanStep[] =>
  steps.flatMap((step) => (step.kind === 'group' ? leaves(step.steps) : [step]));

describe('failover failback', () => {
  it('writes the way back of a drilled failover from its journal, and the scale-down apart', async () => {
    const journal = join(dir, 'failover.jsonl');
    const plan = 'examples/aws-aurora-route53/plan.ts';
    const drill = await runFailover([
      'drill',
      plan,
      '--providers',
      'examples/aws-aurora-route53/providers.ts',
      '--journal',
      journal,
    ]);
    expect(drill.code, drill.stderr).toBe(exitCodes.success);

    const out = join(dir, 'failback.json');
    const cleanupOut = join(dir, 'cleanup.json');
    const run = await runFailover([
      'failback',
      plan,
      '--journal',
      journal,
      '--out',
      out,
      '--cleanup-out',
      cleanupOut,
      '--canary-check',
      'http://127.0.0.1:9/health',
      '--soak',
      '2',
    ]);
    expect(run.code, run.stderr).toBe(exitCodes.success);
    const failback = JSON.parse(readFileSync(out, 'utf8')) as FailoverPlan;
    expect(validatePlan(failback).isOk()).toBe(true);
    expect(failback.sourceRegion).toBe('us-west-2');
    const steps = new Map(leaves(failback.steps).map((step) => [step.id, step]));
    expect(steps.get('switch-back-promote-aurora')).toMatchObject({
      action: { type: 'database', region: 'us-east-1', mode: 'planned' },
    });
    expect(steps.get('soak-100')).toMatchObject({ kind: 'wait', durationMs: 120_000 });
    expect(steps.get('canary-100-check-1')).toMatchObject({
      check: { type: 'http', url: 'http://127.0.0.1:9/health' },
    });
    const cleanup = JSON.parse(readFileSync(cleanupOut, 'utf8')) as FailoverPlan;
    expect(cleanup.steps[0]).toMatchObject({ kind: 'approval', id: 'approve-scale-down' });

    const bad = await runFailover(['failback', plan, '--canary', '10,50']);
    expect(bad.code).not.toBe(exitCodes.success);
    expect(bad.stderr).toContain('canaryPercents');
  }, 120_000);
});
