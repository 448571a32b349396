import type { FailoverGroup, SqlManagementClient } from '@azure/arm-sql';
import type { LroResponse, OperationState, SimplePollerLike } from '@azure/core-lro';
import type { HttpClient } from '@azure/core-rest-pipeline';

export type FailoverGroupPoller = SimplePollerLike<OperationState<FailoverGroup>, FailoverGroup>;

export interface TryPlannedInput {
  client: SqlManagementClient;
  httpClient: HttpClient;
  /** ARM endpoint, no trailing slash. */
  endpoint: string;
  subscriptionId: string;
  resourceGroup: string;
  server: string;
  group: string;
  apiVersion: string;
  abortSignal?: AbortSignal;
  /** A serialised poller to resume instead of sending the request. */
  restoreFrom?: string;
}

/**
 * `POST …/failoverGroups/{group}/tryPlannedBeforeForcedFailover` (REST spec
 * 2023-08-01 and later), which `@azure/arm-sql` 10 has no method for. It goes
 * through the SQL client's own pipeline (bearer token, retries, our API-call
 * policy) and is polled by a core-lro poller exactly like the generated
 * `beginFailover`, so it serialises and resumes the same way.
 */
export async function beginTryPlannedBeforeForcedFailover(
  input: TryPlannedInput,
): Promise<FailoverGroupPoller> {
  const [{ createHttpPoller }, { createHttpHeaders, createPipelineRequest, RestError }] = await Promise.all([
    import('@azure/core-lro'),
    import('@azure/core-rest-pipeline'),
  ]);
  const enc = encodeURIComponent;
  const path = `/subscriptions/${enc(input.subscriptionId)}/resourceGroups/${enc(input.resourceGroup)}/providers/Microsoft.Sql/servers/${enc(input.server)}/failoverGroups/${enc(input.group)}/tryPlannedBeforeForcedFailover`;
  const initialUrl = `${input.endpoint}${path}?api-version=${enc(input.apiVersion)}`;

  const send = async (
    method: 'GET' | 'POST',
    url: string,
    abortSignal?: AbortSignal,
  ): Promise<LroResponse<unknown>> => {
    const request = createPipelineRequest({
      url,
      method,
      headers: createHttpHeaders({ accept: 'application/json' }),
      ...(abortSignal && { abortSignal }),
    });
    const response = await input.client.pipeline.sendRequest(input.httpClient, request);
    const body = parseJson(response.bodyAsText ?? undefined);
    if (response.status >= 300) {
      const error = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
      throw new RestError(error?.message ?? `The service answered HTTP ${response.status}.`, {
        ...(error?.code !== undefined && { code: error.code }),
        statusCode: response.status,
        request,
        response,
      });
    }
    return {
      flatResponse: body,
      rawResponse: { statusCode: response.status, headers: response.headers.toJSON(), body },
    };
  };

  return createHttpPoller<unknown, OperationState<FailoverGroup>>(
    {
      requestMethod: 'POST',
      requestPath: initialUrl,
      sendInitialRequest: () => send('POST', initialUrl, input.abortSignal),
      sendPollRequest: (pollPath, options) =>
        send(
          'GET',
          absoluteUrl(pollPath, input.endpoint, input.apiVersion),
          options?.abortSignal as AbortSignal | undefined,
        ),
    },
    {
      ...(input.restoreFrom !== undefined && { restoreFrom: input.restoreFrom }),
      processResult: (result) => flattenFailoverGroup(result),
    },
  ) as Promise<FailoverGroupPoller>;
}

/** LRO URLs may be relative (resolved against the endpoint) or absolute; they keep their api-version. */
function absoluteUrl(path: string, endpoint: string, apiVersion: string): string {
  const url = /^https?:\/\//i.test(path) ? path : `${endpoint}${path.startsWith('/') ? '' : '/'}${path}`;
  return /[?&]api-version=/i.test(url)
    ? url
    : `${url}${url.includes('?') ? '&' : '?'}api-version=${encodeURIComponent(apiVersion)}`;
}

function parseJson(text: string | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The generated client flattens `properties`; do the same so both pollers return one shape. */
function flattenFailoverGroup(body: unknown): FailoverGroup {
  const resource = (body ?? {}) as { properties?: Record<string, unknown> } & Record<string, unknown>;
  const { properties, ...envelope } = resource;
  return { ...envelope, ...(properties ?? {}) } as FailoverGroup;
}
