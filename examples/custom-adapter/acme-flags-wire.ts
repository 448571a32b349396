// The Acme Flags wire format, and the resource shapes the adapter gives the executor.

export type FlagValue = string | number | boolean;

/** A flag as `GET /v1/flags/:key` returns it. */
export interface AcmeFlagWire {
  key: string;
  /** The type of its value; a PUT of another type is 400. */
  kind: 'string' | 'number' | 'boolean';
  value: FlagValue;
  /** Only an operator in the console may change a locked flag (a PUT is 423). */
  locked: boolean;
  /** Bumped by every change; a PUT must send it as If-Match (412 when it moved). */
  version: number;
  /** The latest change on its way to every edge, if any. */
  rollout: AcmeRollout | null;
}

/** A change reaching the edges: `rolling`, then `done`. */
export interface AcmeRollout {
  id: string;
  status: 'rolling' | 'done';
}

/** Which flag a step names: `{ flag: 'checkout-region' }`. */
export interface AcmeFlagRef {
  flag: string;
}

/** A flag as the adapter observes it: what the journal keeps as `before`. */
export interface AcmeFlag {
  flag: string;
  kind: AcmeFlagWire['kind'];
  value: FlagValue;
  locked: boolean;
  /** Whether a change is still reaching the edges. */
  rollingOut: boolean;
}

/** What a step makes true of a flag. */
export interface AcmeFlagDesired {
  value: FlagValue;
}

/** What `check.resource` can ask of a flag: its value, and/or that no change is still rolling out. */
export interface AcmeFlagCondition {
  value?: FlagValue;
  settled?: boolean;
}

export function fromWire(flag: AcmeFlagWire): AcmeFlag {
  return {
    flag: flag.key,
    kind: flag.kind,
    value: flag.value,
    locked: flag.locked,
    rollingOut: flag.rollout?.status === 'rolling',
  };
}
