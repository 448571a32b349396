/** Calls made against one provider (or in all): provider methods by category, and the cloud API requests they sent. */
export interface CallCounts {
  /** Read-only provider methods: `getRecordSet`, `describe`, `describePool`, HTTP probes. */
  observe: number;
  /** Mutating provider methods: `ensureRecordSet`, `ensureWriter`, `ensureSize`. */
  mutate: number;
  /** `waitFor*` methods. */
  wait: number;
  /** Cloud API requests the provider reported through `onApiCall`, retries and polls included. */
  apiCalls: number;
  /** Of `apiCalls`, those that change something. */
  mutatingApiCalls: number;
}

/** Which provider method category a call belongs to. */
export type CallCategory = 'observe' | 'mutate' | 'wait';

/** Counts of a step or provider that made no call yet. */
export const emptyCallCounts = (): CallCounts => ({
  observe: 0,
  mutate: 0,
  wait: 0,
  apiCalls: 0,
  mutatingApiCalls: 0,
});

/** Adds `more` into `into`. */
export function addCallCounts(into: CallCounts, more: CallCounts): CallCounts {
  into.observe += more.observe;
  into.mutate += more.mutate;
  into.wait += more.wait;
  into.apiCalls += more.apiCalls;
  into.mutatingApiCalls += more.mutatingApiCalls;
  return into;
}

/** Counts of one step (or one rollback), in all and per provider name (as the plan names providers). */
export interface CallTally {
  total: CallCounts;
  byProvider: Record<string, CallCounts>;
}

export const emptyCallTally = (): CallTally => ({ total: emptyCallCounts(), byProvider: {} });

/** Whether a step made no call at all (a wait step, an approval): its journal entry leaves the tally out. */
export function madeNoCall(tally: CallTally): boolean {
  const { observe, mutate, wait, apiCalls, mutatingApiCalls } = tally.total;
  return (
    observe + mutate + wait + apiCalls + mutatingApiCalls === 0 && Object.keys(tally.byProvider).length === 0
  );
}

/** The counts of `provider` in `tally`, created on first use. */
export function providerCounts(tally: CallTally, provider: string): CallCounts {
  let counts = tally.byProvider[provider];
  if (!counts) {
    counts = emptyCallCounts();
    tally.byProvider[provider] = counts;
  }
  return counts;
}
