import { describe, expect, it } from 'vitest';
import { type DnsWeightScale, mapWeightPercents, withWeightPercents } from './dns-weight-scale.js';

const route53: DnsWeightScale = { perPercent: 1, max: 255, integer: true, zero: 'weight' };
const trafficManager: DnsWeightScale = { perPercent: 10, max: 1000, integer: true, zero: 'disable' };
const cloudDns: DnsWeightScale = { perPercent: 1, max: 1000, integer: false, zero: 'weight' };

describe('mapWeightPercents', () => {
  it('says 10 % / 90 % in each service’s weights', () => {
    const split = { east: 10, west: 90 };
    expect(mapWeightPercents(split, route53)._unsafeUnwrap()).toEqual({
      east: { weight: 10 },
      west: { weight: 90 },
    });
    expect(mapWeightPercents(split, trafficManager)._unsafeUnwrap()).toEqual({
      east: { weight: 100, enabled: true },
      west: { weight: 900, enabled: true },
    });
    expect(mapWeightPercents(split, cloudDns)._unsafeUnwrap()).toEqual({
      east: { weight: 10 },
      west: { weight: 90 },
    });
  });

  it('turns 0 % into a disabled endpoint where the service has no weight 0, and weight 0 elsewhere', () => {
    const all = { east: 0, west: 100 };
    expect(mapWeightPercents(all, trafficManager)._unsafeUnwrap()).toEqual({
      east: { enabled: false },
      west: { weight: 1000, enabled: true },
    });
    expect(mapWeightPercents(all, route53)._unsafeUnwrap().east).toEqual({ weight: 0 });
  });

  it('refuses what a service cannot say exactly, and shares that do not sum to 100', () => {
    expect(mapWeightPercents({ a: 33.5, b: 66.5 }, route53)._unsafeUnwrapErr().path).toBe('weightPercents.a');
    expect(mapWeightPercents({ a: 33.5, b: 66.5 }, cloudDns).isOk()).toBe(true);
    expect(mapWeightPercents({ a: 33.35, b: 66.65 }, trafficManager).isErr()).toBe(true);
    const short = mapWeightPercents({ a: 10, b: 80 }, route53)._unsafeUnwrapErr();
    expect(short.kind).toBe('invalid-input');
    expect(short.message).toContain('sum to 90');
  });

  it('keeps raw weights working and refuses a target given both', () => {
    expect(withWeightPercents({ a: { weight: 7 } }, undefined, undefined)._unsafeUnwrap()).toEqual({
      a: { weight: 7 },
    });
    expect(withWeightPercents({ a: { weight: 7 } }, { a: 50, b: 50 }, route53).isErr()).toBe(true);
    expect(withWeightPercents(undefined, { a: 50, b: 50 }, undefined)._unsafeUnwrapErr().message).toContain(
      'no weight scale',
    );
  });
});
