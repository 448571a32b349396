export { type Colors, colorsFor } from './cli-colors.js';
export { CliError } from './cli-error.js';
export { type ExitCode, exitCodeHelp, exitCodes } from './cli-exit-codes.js';
export type { CliIo, CliOutput } from './cli-io.js';
export {
  defineProviders,
  type EmulatorContext,
  type ProvidersContext,
  type ProvidersFactory,
  type ProvidersModule,
} from './load-providers.js';
export {
  defineNotifications,
  type NotificationsConfig,
  type NotificationsContext,
  type NotificationsModuleExport,
} from './notifications/notifications-config.js';
export { commands, mainHelp, runCli } from './run-cli.js';
