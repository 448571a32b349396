import {
  createHttpHeaders,
  type HttpClient,
  type PipelineRequest,
  type PipelineResponse,
} from '@azure/core-rest-pipeline';

/** One request as it left the SDK pipeline. */
export interface RecordedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

/** An `HttpClient` that records every request and can lose the answer of chosen ones. */
export interface RecordingHttpClient extends HttpClient {
  readonly requests: RecordedRequest[];
  /** The next request that matches is sent (and applied), then answered with a 500 instead. */
  loseNextAnswer(matches: (request: RecordedRequest) => boolean): void;
  /** Adds headers to the answer of the next matching request (a Retry-After the service may send). */
  addHeadersToNext(matches: (request: RecordedRequest) => boolean, headers: Record<string, string>): void;
  /** Runs once before the next matching request goes out (someone else's change in between). */
  beforeNext(matches: (request: RecordedRequest) => boolean, run: (inner: HttpClient) => Promise<void>): void;
}

export function recordingHttpClient(inner: HttpClient): RecordingHttpClient {
  const requests: RecordedRequest[] = [];
  let lose: ((request: RecordedRequest) => boolean) | undefined;
  let extra: { matches: (request: RecordedRequest) => boolean; headers: Record<string, string> } | undefined;
  let before:
    | { matches: (request: RecordedRequest) => boolean; run: (inner: HttpClient) => Promise<void> }
    | undefined;
  return {
    requests,
    beforeNext(matches, run) {
      before = { matches, run };
    },
    addHeadersToNext(matches, headers) {
      extra = { matches, headers };
    },
    loseNextAnswer(matches) {
      lose = matches;
    },
    async sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
      const text = typeof request.body === 'string' ? request.body : undefined;
      const recorded: RecordedRequest = {
        method: request.method,
        url: request.url,
        headers: request.headers.toJSON(),
        body: text ? JSON.parse(text) : undefined,
      };
      requests.push(recorded);
      if (before?.matches(recorded)) {
        const { run } = before;
        before = undefined;
        await run(inner);
      }
      const response = await inner.sendRequest(request);
      if (extra?.matches(recorded)) {
        for (const [name, value] of Object.entries(extra.headers)) response.headers.set(name, value);
        extra = undefined;
      }
      if (lose?.(recorded)) {
        lose = undefined;
        // Applied by the service, answer lost on the way back.
        return {
          request,
          status: 500,
          headers: createHttpHeaders({ 'content-type': 'application/json' }),
          bodyAsText: JSON.stringify({
            error: { code: 'InternalServerError', message: 'The answer was lost.' },
          }),
        };
      }
      return response;
    },
  };
}
