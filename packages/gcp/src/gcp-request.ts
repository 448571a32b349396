import type { OAuth2Client } from 'google-auth-library';

/** The request options google-auth-library's `request()` takes (gaxios options). */
export type GaxiosRequest = Parameters<OAuth2Client['request']>[0];

/** The one method the REST clients need from any Google auth client: an authorised request. */
export interface AuthorizedRequester {
  request<T>(options: GaxiosRequest): Promise<{ data: T }>;
}

/** What every REST call takes. */
export interface GcpRequestOptions {
  signal?: AbortSignal;
}

/** `root` with exactly one trailing slash, so paths can be appended. */
export const withSlash = (root: string): string => root.replace(/\/*$/, '/');

export const encode = encodeURIComponent;
