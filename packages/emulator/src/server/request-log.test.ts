import { describe, expect, it } from 'vitest';
import { defaultRequestLogLimit, RequestLog } from './request-log.js';

const request = (operation: string, mutating = false) => ({
  at: 0,
  cloud: 'aws' as const,
  service: 'aws.route53',
  operation,
  mutating,
  method: 'POST',
  path: '/',
  status: 200,
});

describe('RequestLog', () => {
  it('keeps the last `limit` requests in arrival order and counts the dropped ones', () => {
    const log = new RequestLog(3);
    for (let index = 1; index <= 7; index++) log.add(request(`op${index}`, index % 2 === 0));
    expect(log.list().map((entry) => [entry.seq, entry.operation])).toEqual([
      [5, 'op5'],
      [6, 'op6'],
      [7, 'op7'],
    ]);
    expect(log.count({ mutating: true })).toBe(1);
    expect({ total: log.total, dropped: log.dropped }).toEqual({ total: 7, dropped: 4 });
    log.clear();
    expect({ total: log.total, kept: log.list().length }).toEqual({ total: 0, kept: 0 });
    log.add(request('again'));
    expect(log.list()).toMatchObject([{ seq: 1, operation: 'again' }]);
  });

  it('stays bounded by default: 30,000 requests keep the default limit', () => {
    const log = new RequestLog();
    for (let index = 0; index < 30_000; index++) log.add(request('GetChange'));
    expect(log.list()).toHaveLength(defaultRequestLogLimit);
    expect(log.list().at(-1)!.seq).toBe(30_000);
    expect(() => new RequestLog(0)).toThrow(RangeError);
  });
});
