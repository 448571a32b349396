import { createVirtualTime } from '@failover/core';
import { createGcp, type GcpProvider, type GcpRootUrls } from '../../src/index.js';

/** The adapter pointed at a replay server: a fixed token and virtual time, so no wait is real. */
export function replayGcp(project: string, rootUrls: GcpRootUrls): GcpProvider {
  return createGcp({
    project,
    accessToken: 'replay-token',
    rootUrls,
    time: createVirtualTime({ startAt: 0 }),
  });
}
