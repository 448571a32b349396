import { readFileSync } from 'node:fs';
import { failoverPlanJsonSchema } from '@failover/core';
import { describe, expect, it } from 'vitest';
import { exitCodes } from '../src/index.js';
import { runFailover } from './cli-harness.js';

const committed = readFileSync(new URL('../plan.schema.json', import.meta.url), 'utf8');

describe('failover schema', () => {
  it('prints exactly the committed plan.schema.json (regenerate with `pnpm --filter @failover/cli schema`)', async () => {
    const run = await runFailover(['schema']);
    expect(run.code).toBe(exitCodes.success);
    expect(run.stdout).toBe(committed);
  });

  it('is core’s generated schema, not a hand-written one', () => {
    expect(JSON.parse(committed)).toEqual(failoverPlanJsonSchema());
    expect(JSON.parse(committed).$schema).toBe('https://json-schema.org/draft/2020-12/schema');
  });
});
