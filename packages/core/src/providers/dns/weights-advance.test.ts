import { describe, expect, it } from 'vitest';
import type { DnsRecordSet, DnsTarget } from './dns-record-set.js';
import { weightsAdvance } from './weights-advance.js';

const set = (targets: Array<Partial<DnsTarget> & { id: string }>, routing = 'weighted'): DnsRecordSet => ({
  name: 'api.example.com.',
  type: 'A',
  ttl: 60,
  routing: routing as DnsRecordSet['routing'],
  targets: targets.map((target) => ({ values: ['192.0.2.1'], enabled: true, ...target })),
});
const at = (east: number, west: number) =>
  set([
    { id: 'east', weight: east },
    { id: 'west', weight: west },
  ]);
const original = { east: 100, west: 0 };

describe('weightsAdvance (a canary stage never moves traffic back)', () => {
  it('is in sync at the stage share and beyond it, and not below it', () => {
    const stage10 = { east: 10, west: 90 };
    expect(weightsAdvance(at(10, 90), stage10, original)).toEqual({
      leading: ['east'],
      observedPercent: 10,
      stagePercent: 10,
      inSync: true,
    });
    expect(weightsAdvance(at(50, 50), stage10, original)?.inSync).toBe(true);
    expect(weightsAdvance(at(100, 0), stage10, original)?.inSync).toBe(true);
    expect(weightsAdvance(at(100, 0), { east: 50, west: 50 }, original)?.inSync).toBe(true);
    expect(weightsAdvance(at(0, 100), stage10, original)).toMatchObject({
      observedPercent: 0,
      inSync: false,
    });
    expect(weightsAdvance(at(10, 90), { east: 50, west: 50 }, original)).toMatchObject({
      observedPercent: 10,
      stagePercent: 50,
      inSync: false,
    });
    // 9 % is below a 10 % stage, however close.
    expect(weightsAdvance(at(9, 91), stage10, original)?.inSync).toBe(false);
  });

  it('reads shares from the weights whatever the service scale, disabled targets taking none', () => {
    // Traffic Manager: 1-1000; 500/500 is 50 %.
    expect(weightsAdvance(at(500, 500), { east: 50, west: 50 }, original)?.inSync).toBe(true);
    expect(weightsAdvance(at(100, 900), { east: 50, west: 50 }, original)?.inSync).toBe(false);
    // A disabled endpoint keeps its weight but takes no traffic: the original side has 0 %.
    const disabled = set([
      { id: 'east', weight: 1000, enabled: false },
      { id: 'west', weight: 1000 },
    ]);
    expect(weightsAdvance(disabled, { east: 10, west: 90 }, original)).toMatchObject({
      observedPercent: 0,
      inSync: false,
    });
  });

  it('sums the leading side when the traffic returns to several targets', () => {
    const three = (a: number, b: number, c: number) =>
      set([
        { id: 'a', weight: a },
        { id: 'b', weight: b },
        { id: 'c', weight: c },
      ]);
    const towards = { a: 60, b: 40, c: 0 };
    const stage50 = { a: 30, b: 20, c: 50 };
    expect(weightsAdvance(three(50, 0, 50), stage50, towards)).toMatchObject({
      leading: ['a', 'b'],
      observedPercent: 50,
      inSync: true,
    });
    expect(weightsAdvance(three(20, 20, 60), stage50, towards)?.inSync).toBe(false);
  });

  it('cannot say (so the weights are set as usual) for the last stage, a non-weighted or a dead record set', () => {
    // The last stage is the destination: no target gains any more.
    expect(weightsAdvance(at(50, 50), original, original)).toBeUndefined();
    expect(
      weightsAdvance(
        set(
          [
            { id: 'east', weight: 100 },
            { id: 'west', weight: 0 },
          ],
          'failover',
        ),
        { east: 10, west: 90 },
        original,
      ),
    ).toBeUndefined();
    expect(weightsAdvance(at(0, 0), { east: 10, west: 90 }, original)).toBeUndefined();
  });
});
