/** Performs the `http` check: returns the status code, or throws on a network error. Default: global `fetch`. */
export type HttpProbe = (
  url: string,
  options: { timeoutMs: number; abortSignal?: AbortSignal },
) => Promise<number>;

/** The default `HttpProbe`: a GET with global `fetch`, redirects not followed, body discarded. */
export const fetchProbe: HttpProbe = async (url, { timeoutMs, abortSignal }) => {
  const signals = [AbortSignal.timeout(timeoutMs), ...(abortSignal ? [abortSignal] : [])];
  const response = await fetch(url, { method: 'GET', redirect: 'manual', signal: AbortSignal.any(signals) });
  await response.body?.cancel();
  return response.status;
};
