import { FailoverError, type FailoverErrorKind, toFailoverError } from '@failover/core';

/** What the mapper needs to name the failure. */
export interface AwsErrorContext {
  /** The provider id, e.g. `aws.route53`. */
  provider: string;
  /** The AWS operation, e.g. `ChangeResourceRecordSets`. */
  operation: string;
}

/** AWS gives no Retry-After on throttling; this is the pause we suggest (the SDK's own throttling base delay). */
export const defaultThrottleRetryAfterMs = 1_000;
/** Route 53 answers PriorRequestNotComplete while a change is still PENDING; changes take tens of seconds. */
export const priorRequestRetryAfterMs = 10_000;

const throttlingCodes = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'BandwidthLimitExceeded',
  'ProvisionedThroughputExceededException',
]);

const notFoundCodes = new Set([
  'NoSuchHostedZone',
  'NoSuchHealthCheck',
  'NoSuchChange',
  'HostedZoneNotFound',
  'DBClusterNotFoundFault',
  'DBInstanceNotFound',
  'DBInstanceNotFoundFault',
  'GlobalClusterNotFoundFault',
  'ResourceNotFoundException',
  'NotFoundException',
]);

const invalidInputCodes = new Set([
  'InvalidChangeBatch',
  'InvalidInput',
  'InvalidArgument',
  'InvalidDomainName',
  'InvalidParameterValue',
  'InvalidParameterCombination',
  'MissingParameter',
  'InvalidParameterException',
  'InvalidRequestException',
  'ValidationException',
  'ValidationError',
  'SerializationException',
  'BadRequestException',
]);

/** The resource is busy or in the wrong state for now; it usually clears by itself. */
const busyCodes = new Set([
  'InvalidGlobalClusterStateFault',
  'InvalidDBClusterStateFault',
  'InvalidDBInstanceState',
  'InvalidDBInstanceStateFault',
  'ResourceInUseException',
  'InvalidStateException',
]);

const conflictCodes = new Set([
  'HealthCheckVersionMismatch',
  'ConcurrentModification',
  'ConflictingDomainExists',
]);

const unauthorizedCodes = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'InvalidSignatureException',
  'IncompleteSignature',
  'IncompleteSignatureException',
  'MissingAuthenticationToken',
  'MissingAuthenticationTokenException',
  'ExpiredToken',
  'ExpiredTokenException',
  'AuthFailure',
  'CredentialsProviderError',
]);

const unavailableCodes = new Set([
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'InternalFailure',
  'InternalError',
  'InternalServiceError',
  'ServerException',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
]);

const networkCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

interface SdkErrorShape {
  name?: string;
  message?: string;
  code?: string;
  Code?: string;
  $fault?: 'client' | 'server';
  $metadata?: { httpStatusCode?: number; requestId?: string };
  $response?: { headers?: Record<string, string | undefined> };
}

/**
 * The one place AWS SDK errors become `FailoverError`s: by error code first
 * (the SDK's exception name), then by HTTP status and fault. The raw error is
 * kept as `cause`; the message is redacted by `FailoverError`.
 */
export function mapAwsError(thrown: unknown, context: AwsErrorContext): FailoverError {
  if (FailoverError.isInstance(thrown)) return thrown;
  if (!(thrown instanceof Error) && (typeof thrown !== 'object' || thrown === null)) {
    return toFailoverError(thrown, context.provider, context.operation);
  }
  const error = thrown as SdkErrorShape;
  const name = error.name ?? 'Error';
  const code = error.Code ?? name;
  const status = error.$metadata?.httpStatusCode;
  if (name === 'AbortError') return toFailoverError(thrown, context.provider, context.operation);

  const make = (kind: FailoverErrorKind, extra: { retryable?: boolean; retryAfterMs?: number } = {}) =>
    new FailoverError({
      kind,
      message: `${context.operation} failed: ${code}${error.message ? `: ${error.message}` : ''}${status ? ` (HTTP ${status})` : ''}`,
      provider: context.provider,
      operation: context.operation,
      cause: thrown,
      ...extra,
    });

  if (code === 'PriorRequestNotComplete') {
    return make('throttled', { retryAfterMs: retryAfter(error) ?? priorRequestRetryAfterMs });
  }
  if (throttlingCodes.has(code) || status === 429) {
    return make('throttled', { retryAfterMs: retryAfter(error) ?? defaultThrottleRetryAfterMs });
  }
  if (notFoundCodes.has(code)) return make('not-found');
  if (invalidInputCodes.has(code)) return make('invalid-input');
  if (busyCodes.has(code))
    return make('conflict', { retryable: true, retryAfterMs: retryAfter(error) ?? 10_000 });
  if (conflictCodes.has(code)) return make('conflict');
  if (unauthorizedCodes.has(code) || status === 401 || status === 403) return make('unauthorized');
  if (
    unavailableCodes.has(code) ||
    networkCodes.has(error.code ?? '') ||
    error.$fault === 'server' ||
    (status ?? 0) >= 500
  ) {
    return make('unavailable', {
      ...(retryAfter(error) !== undefined && { retryAfterMs: retryAfter(error) }),
    });
  }
  if (status === 404) return make('not-found');
  if (status === 409) return make('conflict');
  if (status === 400) return make('invalid-input');
  return make('unexpected');
}

/** A Retry-After the service sent (seconds or an HTTP date), in milliseconds. */
function retryAfter(error: SdkErrorShape): number | undefined {
  const headers = error.$response?.headers ?? {};
  for (const [key, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const lower = key.toLowerCase();
    if (lower === 'x-amz-retry-after' && /^\d+$/.test(value)) return Number(value);
    if (lower === 'retry-after') {
      if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
      const date = Date.parse(value);
      if (!Number.isNaN(date)) return Math.max(0, date - Date.now());
    }
  }
  return undefined;
}

/** An `invalid-input` error raised by the adapter itself, before any call. */
export function invalidInput(context: AwsErrorContext, message: string, path?: string): FailoverError {
  return new FailoverError({
    kind: 'invalid-input',
    message,
    provider: context.provider,
    operation: context.operation,
    ...(path !== undefined && { path }),
  });
}

/** Any other error the adapter decides on (precondition-failed, not-found, unsupported...). */
export function awsFailure(
  kind: FailoverErrorKind,
  context: AwsErrorContext,
  message: string,
  extra: { retryable?: boolean; retryAfterMs?: number } = {},
): FailoverError {
  return new FailoverError({
    kind,
    message,
    provider: context.provider,
    operation: context.operation,
    ...extra,
  });
}
