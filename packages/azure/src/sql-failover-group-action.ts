import type { FailoverGroup, SqlManagementClient } from '@azure/arm-sql';
import type { LroResponse, OperationState, SimplePollerLike } from '@azure/core-lro';
import type { HttpClient } from '@azure/core-rest-pipeline';
import { retryAfterMs } from './azure-retry-after.js';

export type FailoverGroupPoller = SimplePollerLike<OperationState<FailoverGroup>, FailoverGroup>;

/** The three failover-group actions, by the last segment of their REST path. */
export type FailoverGroupAction =
  | 'failover'
  | 'forceFailoverAllowDataLoss'
  | 'tryPlannedBeforeForcedFailover';

export interface FailoverGroupActionInput {
  action: FailoverGroupAction;
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

/** A started action: its poller (which has not polled yet) and the Retry-After of the 202. */
export interface StartedAction {
  poller: FailoverGroupPoller;
  /** Wait this long before the first poll; undefined when the 202 asked for nothing. */
  retryAfterMs?: number;
}

/**
 * `POST …/failoverGroups/{group}/{action}` as a long-running operation, through the SQL
 * client's own pipeline (bearer token, retries, our API-call policy), polled by a core-lro
 * poller that serialises and resumes like the generated `begin*` methods. Unlike those, it
 * does not poll at once after the 202: the caller waits for the 202's Retry-After first.
 * `tryPlannedBeforeForcedFailover` (REST spec from 2023-02-01-preview) has no method in
 * `@azure/arm-sql` 10 at all.
 */
export async function beginFailoverGroupAction(input: FailoverGroupActionInput): Promise<StartedAction> {
  const [{ createHttpPoller }, { createHttpHeaders, createPipelineRequest, RestError }] = await Promise.all([
    import('@azure/core-lro'),
    import('@azure/core-rest-pipeline'),
  ]);
  const enc = encodeURIComponent;
  const path = `/subscriptions/${enc(input.subscriptionId)}/resourceGroups/${enc(input.resourceGroup)}/providers/Microsoft.Sql/servers/${enc(input.server)}/failoverGroups/${enc(input.group)}/${input.action}`;
  const initialUrl = `${input.endpoint}${path}?api-version=${enc(input.apiVersion)}`;

  let accepted: number | undefined;
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
    if (method === 'POST') accepted = retryAfterMs(response.headers);
    return {
      flatResponse: body,
      rawResponse: { statusCode: response.status, headers: response.headers.toJSON(), body },
    };
  };

  const poller = (await createHttpPoller<unknown, OperationState<FailoverGroup>>(
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
  )) as FailoverGroupPoller;
  return { poller, ...(accepted !== undefined && { retryAfterMs: accepted }) };
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
