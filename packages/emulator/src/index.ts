export type { AwsSeed } from './aws/index.js';
export type { AzureSeed } from './azure/index.js';
export type { GcpSeed } from './gcp/index.js';
export type { KubernetesSeed } from './kubernetes/index.js';
export { createEmulatorClock, type EmulatorClock } from './server/emulator-clock.js';
export type { EmulatorSeed } from './server/emulator-seed.js';
export type {
  Cloud,
  EmulatorRequest,
  EmulatorResponse,
  EmulatorService,
  HandleOptions,
  RouteMatch,
  ServiceContext,
  ServiceErrorKind,
} from './server/emulator-types.js';
export type { FaultInjector, FaultKind, FaultRule } from './server/fault-injector.js';
export type { RequestLog, RequestLogEntry, RequestLogFilter } from './server/request-log.js';
export { type Emulator, type StartEmulatorOptions, startEmulator } from './server/start-emulator.js';
