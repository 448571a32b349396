import { type AuthorizedRequester, encode, type GcpRequestOptions, withSlash } from '../gcp-request.js';

/** A point of a time series on the wire: `int64Value` is a string in JSON. */
export interface MonitoringPoint {
  interval?: { startTime?: string; endTime?: string };
  value?: { doubleValue?: number; int64Value?: string; boolValue?: boolean };
}

/** A time series on the wire (`projects.timeSeries.list`). */
export interface MonitoringTimeSeries {
  metric?: { type?: string; labels?: Record<string, string> };
  resource?: { type?: string; labels?: Record<string, string> };
  metricKind?: string;
  valueType?: string;
  points?: MonitoringPoint[];
  unit?: string;
}

/** `projects.timeSeries.list`'s answer; every field may be omitted (an empty answer is `{}`). */
export interface ListTimeSeriesResponse {
  timeSeries?: MonitoringTimeSeries[];
  nextPageToken?: string;
  unit?: string;
}

/** What a list asks for. */
export interface ListTimeSeriesQuery {
  filter: string;
  startTime: string;
  endTime: string;
  /** e.g. `60s`. */
  alignmentPeriod?: string;
  /** e.g. `ALIGN_MEAN`. */
  perSeriesAligner?: string;
  pageToken?: string;
}

/** The Cloud Monitoring v3 REST calls the signal sources make. */
export interface CloudMonitoringClient {
  listTimeSeries(
    project: string,
    query: ListTimeSeriesQuery,
    options?: GcpRequestOptions,
  ): Promise<ListTimeSeriesResponse>;
}

/**
 * Cloud Monitoring v3 over the Google auth client's `request()`, as the Cloud
 * DNS client: there is no per-API `@googleapis` package for it, and the gRPC
 * client would bring a second transport for one read.
 */
export function createCloudMonitoringClient(
  auth: AuthorizedRequester,
  rootUrl: string,
  requestTimeoutMs?: number,
): CloudMonitoringClient {
  const base = `${withSlash(rootUrl)}v3/projects/`;
  return {
    async listTimeSeries(project, query, options = {}) {
      const params: Record<string, string> = {
        filter: query.filter,
        'interval.startTime': query.startTime,
        'interval.endTime': query.endTime,
        view: 'FULL',
        ...(query.alignmentPeriod && { 'aggregation.alignmentPeriod': query.alignmentPeriod }),
        ...(query.perSeriesAligner && { 'aggregation.perSeriesAligner': query.perSeriesAligner }),
        ...(query.pageToken && { pageToken: query.pageToken }),
      };
      const response = await auth.request<ListTimeSeriesResponse>({
        url: `${base}${encode(project)}/timeSeries`,
        method: 'GET',
        retry: false,
        params,
        ...(options.signal && { signal: options.signal }),
        ...(requestTimeoutMs !== undefined && { timeout: requestTimeoutMs }),
      });
      return response.data ?? {};
    },
  };
}
