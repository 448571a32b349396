import { createAwsServices } from '../aws/index.js';
import { createAzureServices } from '../azure/index.js';
import { createGcpServices } from '../gcp/index.js';
import { createKubernetesServices } from '../kubernetes/index.js';
import type { EmulatorSeed } from './emulator-seed.js';
import type { EmulatorService, ServiceContext } from './emulator-types.js';

/** Every emulated service, each with its slice of the seed. */
export function createServices(context: ServiceContext, seed: EmulatorSeed): EmulatorService[] {
  return [
    ...createAwsServices(context, seed.aws),
    ...createAzureServices(context, seed.azure),
    ...createGcpServices(context, seed.gcp),
    ...createKubernetesServices(context, seed.kubernetes),
  ];
}
