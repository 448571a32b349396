import type { HttpClient, PipelineRequest, PipelineResponse } from '@azure/core-rest-pipeline';

export interface EmulatorHttpClientOptions {
  /** The emulator's Azure mount. Default `/azure`. */
  mount?: string;
  /** The https base the clients keep using. Default `https://management.azure.com`. */
  from?: string;
}

/**
 * An `httpClient` that points the Azure clients at `@failover/emulator`
 * (or any plain-http ARM double): the clients keep their https endpoint (the
 * bearer policy refuses http), and the URL is rewritten to `${emulatorUrl}/azure`
 * just before the socket opens, then restored, because the LRO pollers read
 * `response.request.url` for their final GET.
 *
 * @example
 * ```ts
 * const azure = createAzure({ subscriptionId, credential, httpClient: createEmulatorHttpClient(emulator.url) });
 * ```
 */
export function createEmulatorHttpClient(
  emulatorUrl: string,
  options: EmulatorHttpClientOptions = {},
): HttpClient {
  const from = (options.from ?? 'https://management.azure.com').replace(/\/+$/, '');
  const to = `${emulatorUrl.replace(/\/+$/, '')}${options.mount ?? '/azure'}`;
  let inner: Promise<HttpClient> | undefined;
  return {
    async sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
      inner ??= import('@azure/core-rest-pipeline').then(({ createDefaultHttpClient }) =>
        createDefaultHttpClient(),
      );
      const client = await inner;
      const original = request.url;
      if (original.toLowerCase().startsWith(from.toLowerCase())) {
        request.url = `${to}${original.slice(from.length)}`;
        request.allowInsecureConnection = true;
      }
      try {
        return await client.sendRequest(request);
      } finally {
        request.url = original;
      }
    },
  };
}
