export * from './decision/index.js';
export {
  FailoverError,
  type FailoverErrorOptions,
  type SerializedFailoverError,
} from './errors/failover-error.js';
export { defaultRetryable, type FailoverErrorKind } from './errors/failover-error-kind.js';
export { redact } from './errors/redact.js';
export { cancelledError, toFailoverError } from './errors/to-failover-error.js';
export * from './executor/index.js';
export * from './failback/index.js';
export * from './health/index.js';
export * from './journal/index.js';
export * from './notify/index.js';
export * from './plan/index.js';
export * from './providers/index.js';
export * from './report/index.js';
export * from './result.js';
export { realTime, type Time } from './time/time.js';
export { createVirtualTime, type VirtualTime, type VirtualTimeOptions } from './time/virtual-time.js';
