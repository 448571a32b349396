import type { EmulatorResponse } from '../server/emulator-types.js';

const reasons: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  409: 'Conflict',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
};

/** A `Status` failure object, the body every Kubernetes API error has. */
export function kubernetesStatus(
  code: number,
  message: string,
  headers?: Record<string, string>,
): EmulatorResponse {
  return {
    status: code,
    headers,
    body: {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message,
      reason: reasons[code] ?? 'Unknown',
      code,
    },
  };
}
