import type { EmulatorResponse } from '../server/emulator-types.js';
import { type XmlValue, xmlDocument, xmlElement } from './aws-xml.js';

/** A request id in the shape AWS uses, drawn from the emulator's seeded PRNG. */
export function requestId(random: () => number): string {
  const hex = (length: number) =>
    Array.from({ length }, () => Math.floor(random() * 16).toString(16)).join('');
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${(8 + Math.floor(random() * 4)).toString(16)}${hex(3)}-${hex(12)}`;
}

/** An XML success body (REST-XML and Query). */
export function xmlResponse(
  status: number,
  root: string,
  namespace: string,
  body: { readonly [key: string]: XmlValue },
  id: string,
): EmulatorResponse {
  return {
    status,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': id },
    body: xmlDocument(root, namespace, body),
  };
}

/** A Query-protocol success: `<XResponse><XResult>…</XResult><ResponseMetadata/></XResponse>`. */
export function queryResponse(
  action: string,
  namespace: string,
  result: { readonly [key: string]: XmlValue },
  id: string,
): EmulatorResponse {
  return xmlResponse(
    200,
    `${action}Response`,
    namespace,
    { [`${action}Result`]: result, ResponseMetadata: { RequestId: id } },
    id,
  );
}

/**
 * The XML error body REST-XML and Query services send:
 * `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`.
 */
export function xmlError(
  status: number,
  code: string,
  message: string,
  options: { namespace: string; id: string; headers?: Record<string, string> },
): EmulatorResponse {
  const type = status >= 500 ? 'Receiver' : 'Sender';
  const error = xmlElement('Error', { Type: type, Code: code, Message: message });
  return {
    status,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': options.id, ...options.headers },
    body: `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="${options.namespace}">${error}<RequestId>${options.id}</RequestId></ErrorResponse>`,
  };
}

/** The REST-JSON error: the code in `x-amzn-ErrorType`, `{ "message": … }` in the body. */
export function jsonError(
  status: number,
  code: string,
  message: string,
  options: { id: string; extra?: Record<string, unknown>; headers?: Record<string, string> },
): EmulatorResponse {
  return {
    status,
    headers: {
      'content-type': 'application/json',
      'x-amzn-errortype': code,
      'x-amzn-requestid': options.id,
      ...options.headers,
    },
    body: { message, ...options.extra },
  };
}

/** A REST-JSON success body. */
export function jsonResponse(status: number, body: unknown, id: string): EmulatorResponse {
  return { status, headers: { 'content-type': 'application/json', 'x-amzn-requestid': id }, body };
}

/** Epoch seconds, the REST-JSON timestamp format. */
export const epochSeconds = (ms: number): number => Math.floor(ms / 1000);

/** The content type of the awsJson 1.0 protocol, for requests and answers alike. */
export const awsJson10ContentType = 'application/x-amz-json-1.0';

/** An awsJson 1.0 success body. */
export function awsJsonResponse(body: unknown, id: string): EmulatorResponse {
  return { status: 200, headers: { 'content-type': awsJson10ContentType, 'x-amzn-requestid': id }, body };
}

/**
 * An awsJson 1.0 error of a service that moved from the Query protocol
 * (`awsQueryCompatible`, e.g. CloudWatch): the shape id in `__type`, and the
 * Query-era code in `x-amzn-query-error: <Code>;<Sender|Receiver>`, which the
 * SDK prefers, so callers still see `Throttling` or `InvalidParameterValue`.
 */
export function awsJsonError(
  status: number,
  type: string,
  queryCode: string,
  message: string,
  options: { id: string },
): EmulatorResponse {
  return {
    status,
    headers: {
      'content-type': awsJson10ContentType,
      'x-amzn-requestid': options.id,
      'x-amzn-query-error': `${queryCode};${status >= 500 ? 'Receiver' : 'Sender'}`,
    },
    body: { __type: type, message },
  };
}
