/** Anything with a case-insensitive `get(name)`: the pipeline's `HttpHeaders` and the fetch `Headers`. */
export interface HeaderLookup {
  get(name: string): string | undefined | null;
}

/**
 * The wait a response asks for, in ms: `retry-after-ms`, `x-ms-retry-after-ms`,
 * or `Retry-After` in seconds or as an HTTP date. Undefined when it asks for none.
 */
export function retryAfterMs(
  headers: HeaderLookup | undefined,
  now: number = Date.now(),
): number | undefined {
  if (!headers) return undefined;
  for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
    const value = Number(headers.get(name) ?? Number.NaN);
    if (Number.isFinite(value) && value >= 0) return value;
  }
  const retryAfter = headers.get('retry-after');
  if (retryAfter === undefined || retryAfter === null || retryAfter.trim() === '') return undefined;
  const seconds = Number(retryAfter);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(retryAfter);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}
