import { describe, expect, it } from 'vitest';
import { parseJsonPath, readJsonPath } from './json-path.js';

describe('readJsonPath', () => {
  const document = { a: { 'b-c': [1, { d: null }] }, e: 0 };
  it('reads dotted, bracketed and indexed paths, null included', () => {
    expect(readJsonPath(document, '$.e')).toEqual({ found: true, value: 0 });
    expect(readJsonPath(document, "$.a['b-c'][1].d")).toEqual({ found: true, value: null });
    expect(readJsonPath(document, '$')).toEqual({ found: true, value: document });
  });
  it('finds nothing past the end, through a scalar, or for a path it cannot parse', () => {
    expect(readJsonPath(document, '$.a.b-c[5]').found).toBe(false);
    expect(readJsonPath(document, '$.e.f').found).toBe(false);
    expect(readJsonPath(document, 'a.e').found).toBe(false);
    expect(parseJsonPath('$.a[x]')).toBeUndefined();
    expect(readJsonPath({ toString: 1 }, '$.constructor').found).toBe(false);
  });
});
