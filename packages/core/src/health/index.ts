export type { SignalQuery } from './signal-query.js';
export type { SignalSample, SignalStatus, SignalUnit } from './signal-sample.js';
export type { SignalKind, SignalSourceV1 } from './signal-source-v1.js';
