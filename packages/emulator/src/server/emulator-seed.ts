import type { AwsSeed } from '../aws/index.js';
import type { AzureSeed } from '../azure/index.js';
import type { GcpSeed } from '../gcp/index.js';
import type { KubernetesSeed } from '../kubernetes/index.js';

/** The world the emulator starts with, per cloud. Everything is optional. */
export interface EmulatorSeed {
  aws?: AwsSeed;
  azure?: AzureSeed;
  gcp?: GcpSeed;
  kubernetes?: KubernetesSeed;
}
