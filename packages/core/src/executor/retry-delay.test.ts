import { describe, expect, it } from 'vitest';
import { retryDelayMs } from './retry-delay.js';

const policy = { maxAttempts: 5, baseDelayMs: 1_000, maxDelayMs: 5_000 };

describe('retryDelayMs', () => {
  it('is full jitter over an exponential ceiling, capped', () => {
    expect(retryDelayMs(policy, 1, () => 0.5)).toBe(500);
    expect(retryDelayMs(policy, 2, () => 0.5)).toBe(1_000);
    expect(retryDelayMs(policy, 3, () => 0.5)).toBe(2_000);
    expect(retryDelayMs(policy, 4, () => 0.5)).toBe(2_500);
    expect(retryDelayMs(policy, 10, () => 0.999)).toBeLessThanOrEqual(5_000);
    expect(retryDelayMs(policy, 3, () => 0)).toBe(0);
  });

  it('never waits less than the Retry-After', () => {
    expect(retryDelayMs(policy, 1, () => 0.5, 7_000)).toBe(7_000);
    expect(retryDelayMs(policy, 3, () => 0.9, 100)).toBe(3_600);
  });
});
