import type { Emulator, RequestLogEntry } from '@failover/emulator';

/** The calls that change something which the emulator received after request number `seq`. */
export const mutatingSince = (world: Emulator, seq: number): RequestLogEntry[] =>
  world.requests.list({ mutating: true }).filter((entry) => entry.seq > seq);
