export {
  createDatabaseWriterSource,
  type DatabaseWriterSourceOptions,
} from './database-writer-source.js';
export { type HttpAnswer, type HttpExpectation, meetsHttpExpectation } from './http-expectation.js';
export {
  fetchProbeRunner,
  type HttpProbeRequest,
  type HttpProbeRunner,
  maxProbeBodyChars,
} from './http-probe-runner.js';
export { createHttpProbeSource, type HttpProbeSourceOptions } from './http-probe-source.js';
export { type JsonPathAssertion, parseJsonPath, readJsonPath } from './json-path.js';
export { createPrometheusSource, type PrometheusSourceOptions } from './prometheus-source.js';
export { createReplicationLagSource, type ReplicationLagSourceOptions } from './replication-lag-source.js';
export type { SignalQuery } from './signal-query.js';
export type { SignalSample, SignalStatus, SignalUnit } from './signal-sample.js';
export type { SignalKind, SignalSourceV1 } from './signal-source-v1.js';
