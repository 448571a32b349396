import type { z as Zod } from 'zod';
import { notificationStages } from '../notify/notification-stage.js';
import { requireZod } from './require-zod.js';
import type { PlanStep } from './step.js';

// The runtime twin of the plan model types in plan/*.ts and providers/*: strict
// (unknown fields are rejected, so a typo never passes silently) and with the
// numbers checked. `plan-schema-types.ts` proves at compile time that the
// inferred types and the hand-written ones cannot drift apart.
//
// Nothing is defined when the module loads: zod and the schemas cost ~70 ms, three
// times the rest of `@failover/core`, and most importers (adapters, the report, a
// resumed journal) never check a plan document. `planSchemas()` loads zod and
// defines every schema on first use, once.

/** A value that survives JSON.stringify and JSON.parse unchanged. */
function isJsonValue(value: unknown, depth = 0): boolean {
  if (depth > 64) return false;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every((item) => isJsonValue(item, depth + 1));
  if (typeof value === 'object') {
    const prototype = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) return false;
    return Object.values(value).every((item) => isJsonValue(item, depth + 1));
  }
  return false;
}

/** Every plan schema, defined with the given zod. Called once, by `planSchemas()`. */
function definePlanSchemas(z: typeof Zod) {
  const text = z.string().min(1);
  const positiveInt = z.int().positive();
  const nonNegativeInt = z.int().nonnegative();
  /** DNS TTL in seconds, as every cloud bounds it (a signed 32-bit integer). */
  const ttlSeconds = z.int().min(0).max(2_147_483_647);
  const jsonValue = z
    .unknown()
    .refine(isJsonValue, { message: 'must be plain JSON (no undefined, functions, dates or NaN)' });

  const providerNameSchema = text;

  /** A resource reference, state or condition: a JSON object only its provider reads. */
  const resourceJsonSchema = z.record(z.string(), jsonValue);

  const databaseRefSchema = z.strictObject({ id: text });

  const nodePoolRefSchema = z.strictObject({ cluster: text, pool: text, region: text.optional() });

  const dnsRecordRefSchema = z.strictObject({
    zone: text.optional(),
    name: text,
    type: text.optional(),
  });

  const dnsRoutingSchema = z.enum(['simple', 'weighted', 'failover', 'priority', 'geo']);

  const dnsWeight = z.number().nonnegative();

  const dnsTargetSchema = z.strictObject({
    id: text,
    values: z.array(text).min(1),
    weight: dnsWeight.optional(),
    priority: nonNegativeInt.optional(),
    enabled: z.boolean(),
    healthCheckId: text.optional(),
    health: z.enum(['healthy', 'unhealthy', 'unknown']).optional(),
    location: text.optional(),
  });

  const dnsTargetPatchSchema = z.strictObject({
    values: z.array(text).min(1).optional(),
    weight: dnsWeight.optional(),
    priority: nonNegativeInt.optional(),
    enabled: z.boolean().optional(),
  });

  const dnsDesiredStateSchema = z.strictObject({
    activeTarget: text.optional(),
    targets: z.record(text, dnsTargetPatchSchema).optional(),
    weightPercents: z.record(text, z.number().min(0).max(100)).optional(),
    advanceTowards: z.record(text, z.number().min(0).max(100)).optional(),
    ttl: ttlSeconds.optional(),
    createIfMissing: z
      .strictObject({
        type: text,
        routing: dnsRoutingSchema,
        ttl: ttlSeconds,
        targets: z.array(dnsTargetSchema).min(1),
      })
      .optional(),
  });

  const failoverModeSchema = z.enum(['planned', 'forced']);

  const databaseDesiredStateSchema = z.strictObject({
    region: text,
    mode: failoverModeSchema,
    memberId: text.optional(),
    zone: text.optional(),
    providerOptions: z.record(text, z.record(z.string(), jsonValue)).optional(),
  });

  const poolSizeSchema = z.union([
    nonNegativeInt,
    z.strictObject({
      percentOf: z.strictObject({ provider: providerNameSchema, pool: nodePoolRefSchema }),
      /** 100 means the same size as the other pool. */
      percent: z.number().min(0).max(1000),
    }),
  ]);

  const checkClassSchema = z.enum(['critical', 'important', 'informational']);

  const signalConditionSchema = z.discriminatedUnion('type', [
    z.strictObject({ type: z.literal('status') }),
    z.strictObject({ type: z.literal('at-most'), value: z.number() }),
    z.strictObject({ type: z.literal('at-least'), value: z.number() }),
  ]);

  const sampleAggregateSchema = z.enum(['latest', 'mean', 'max', 'min', 'p95', 'p99']);

  const jsonPathAssertionSchema = z.strictObject({
    path: z.string().regex(/^\$/, 'must start with $'),
    equals: jsonValue,
  });

  const checkSpecSchema = z.discriminatedUnion('type', [
    z.strictObject({
      type: z.literal('replication-lag'),
      provider: providerNameSchema,
      database: databaseRefSchema,
      maxLagMs: nonNegativeInt,
      region: text.optional(),
      orWriterIn: text.optional(),
    }),
    z.strictObject({
      type: z.literal('database-writer'),
      provider: providerNameSchema,
      database: databaseRefSchema,
      region: text,
    }),
    z.strictObject({
      type: z.literal('dns-ttl'),
      provider: providerNameSchema,
      record: dnsRecordRefSchema,
      maxTtl: ttlSeconds,
    }),
    z.strictObject({
      type: z.literal('dns-active-target'),
      provider: providerNameSchema,
      record: dnsRecordRefSchema,
      target: text,
    }),
    z.strictObject({
      type: z.literal('pool-ready'),
      provider: providerNameSchema,
      pool: nodePoolRefSchema,
      minReady: nonNegativeInt,
    }),
    z.strictObject({
      type: z.literal('primary-unreachable'),
      fences: z.array(text).min(1),
      probes: z.array(z.url({ protocol: /^(https?|tcp)$/ })).min(1),
      quorum: positiveInt.optional(),
      forMs: nonNegativeInt,
      intervalMs: positiveInt.optional(),
      probeTimeoutMs: positiveInt.optional(),
    }),
    z.strictObject({
      type: z.literal('resource'),
      provider: providerNameSchema,
      resource: resourceJsonSchema,
      condition: resourceJsonSchema,
    }),
    z.strictObject({
      type: z.literal('http'),
      url: z.url({ protocol: /^https?$/ }),
      expectStatus: z.int().min(100).max(599).optional(),
      timeoutMs: positiveInt.optional(),
      method: text.optional(),
      headers: z.record(z.string(), z.string()).optional(),
      body: z.string().optional(),
      bodyIncludes: z.string().optional(),
      json: z.array(jsonPathAssertionSchema).optional(),
      maxLatencyMs: positiveInt.optional(),
    }),
    z.strictObject({
      type: z.literal('metric'),
      signal: text,
      condition: signalConditionSchema,
      aggregate: sampleAggregateSchema.optional(),
      windowMs: positiveInt.optional(),
      quorum: positiveInt.optional(),
      timeoutMs: positiveInt.optional(),
    }),
  ]);

  const actionSpecSchema = z.discriminatedUnion('type', [
    z.strictObject({
      type: z.literal('dns'),
      provider: providerNameSchema,
      record: dnsRecordRefSchema,
      desired: dnsDesiredStateSchema,
      waitForSync: z.boolean().optional(),
    }),
    z.strictObject({
      type: z.literal('database'),
      provider: providerNameSchema,
      database: databaseRefSchema,
      frontedBy: z.array(text).min(1).optional(),
      acceptDataLossBeyondRpo: z.boolean().optional(),
      ...databaseDesiredStateSchema.shape,
    }),
    z.strictObject({
      type: z.literal('scale'),
      provider: providerNameSchema,
      pool: nodePoolRefSchema,
      desired: poolSizeSchema.optional(),
      min: nonNegativeInt.optional(),
      max: nonNegativeInt.optional(),
      minReady: nonNegativeInt.optional(),
      waitForReady: z.boolean().optional(),
    }),
    z.strictObject({
      type: z.literal('resource'),
      provider: providerNameSchema,
      resource: resourceJsonSchema,
      desired: resourceJsonSchema,
      waitUntil: resourceJsonSchema.optional(),
      waitForCompletion: z.boolean().optional(),
    }),
  ]);

  const retryPolicySchema = z.strictObject({
    maxAttempts: z.int().min(1).optional(),
    baseDelayMs: nonNegativeInt.optional(),
    maxDelayMs: nonNegativeInt.optional(),
  });

  const stepBase = {
    id: text,
    name: text.optional(),
    dependsOn: z.array(text).optional(),
    timeoutMs: positiveInt.optional(),
    retry: retryPolicySchema.optional(),
  };

  const checkStepSchema = z.strictObject({
    ...stepBase,
    kind: z.literal('check'),
    check: checkSpecSchema,
    holdForMs: nonNegativeInt.optional(),
    intervalMs: positiveInt.optional(),
  });

  const actionStepSchema = z.strictObject({
    ...stepBase,
    kind: z.literal('action'),
    action: actionSpecSchema,
    reversible: z.boolean().optional(),
    fence: z.boolean().optional(),
    rollback: z.literal('never').optional(),
    traffic: z.boolean().optional(),
  });

  const approvalStepSchema = z.strictObject({
    ...stepBase,
    kind: z.literal('approval'),
    message: text,
    timeoutMs: positiveInt,
  });

  const verifyStepSchema = z.strictObject({
    ...stepBase,
    kind: z.literal('verify'),
    check: checkSpecSchema,
    timeoutMs: positiveInt,
    intervalMs: positiveInt.optional(),
    holdForMs: nonNegativeInt.optional(),
  });

  const waitStepSchema = z.strictObject({
    ...stepBase,
    kind: z.literal('wait'),
    durationMs: nonNegativeInt,
  });

  const notifyStepSchema = z.strictObject({
    ...stepBase,
    kind: z.literal('notify'),
    channel: text,
    message: text,
    stage: z.enum(notificationStages).optional(),
  });

  const groupStepSchema = z.strictObject({
    ...stepBase,
    kind: z.literal('group'),
    mode: z.enum(['sequential', 'parallel']),
    // A getter, so the schema can refer to itself (groups nest). Typed with the
    // public type to break the circular inference; every step kind is still
    // checked against its schema one by one in plan-schema-types.ts.
    get steps(): Zod.ZodArray<Zod.ZodType<PlanStep>> {
      return z.array(planStepSchema).min(1);
    },
  });

  const planStepSchema = z.discriminatedUnion('kind', [
    checkStepSchema,
    actionStepSchema,
    approvalStepSchema,
    verifyStepSchema,
    waitStepSchema,
    notifyStepSchema,
    groupStepSchema,
  ]);

  const recoveryObjectivesSchema = z.strictObject({
    rtoMs: positiveInt.optional(),
    rpoMs: nonNegativeInt.optional(),
  });

  const healthCheckSpecSchema = z.strictObject({
    name: text,
    class: checkClassSchema,
    role: z.enum(['database-writer', 'error-rate', 'latency', 'service', 'region']).optional(),
    signal: text,
    condition: signalConditionSchema.optional(),
    windowMs: positiveInt.optional(),
    aggregate: sampleAggregateSchema.optional(),
    intervalMs: positiveInt,
    failureThreshold: positiveInt,
    recoveryThreshold: positiveInt.optional(),
    minTimeInStateMs: nonNegativeInt.optional(),
    timeoutMs: positiveInt,
    quorum: positiveInt.optional(),
  });

  const signalSpecSchema = z.discriminatedUnion('type', [
    z.strictObject({
      id: text,
      type: z.literal('http'),
      url: z.url({ protocol: /^https?$/ }),
      method: text.optional(),
      headers: z.record(z.string(), z.string()).optional(),
      body: z.string().optional(),
      expectStatus: z.int().min(100).max(599).optional(),
      bodyIncludes: z.string().optional(),
      json: z.array(jsonPathAssertionSchema).optional(),
      maxLatencyMs: positiveInt.optional(),
    }),
    z.strictObject({
      id: text,
      type: z.literal('prometheus'),
      url: z.url({ protocol: /^https?$/ }),
      query: text,
      unit: z.enum(['ms', 'ratio', 'percent', 'count', 'bytes', 'none']).optional(),
    }),
    z.strictObject({
      id: text,
      type: z.literal('replication-lag'),
      provider: providerNameSchema,
      database: databaseRefSchema,
      region: text.optional(),
    }),
    z.strictObject({
      id: text,
      type: z.literal('database-writer'),
      provider: providerNameSchema,
      database: databaseRefSchema,
      region: text,
    }),
  ]);

  const policyRuleSchema = z.strictObject({
    name: text,
    when: z.discriminatedUnion('type', [
      z.strictObject({ type: z.literal('all-failed'), class: checkClassSchema }),
      z.strictObject({
        type: z.literal('failed-count'),
        class: checkClassSchema,
        min: nonNegativeInt,
        max: nonNegativeInt.optional(),
      }),
      z.strictObject({
        type: z.literal('check-failed'),
        check: text.optional(),
        role: z.enum(['database-writer', 'error-rate', 'latency', 'service', 'region']).optional(),
        minConsecutive: positiveInt.optional(),
        forMs: nonNegativeInt.optional(),
        valueAbove: z.number().optional(),
      }),
      z.strictObject({ type: z.literal('any-failed'), classes: z.array(checkClassSchema).optional() }),
    ]),
    decision: z.enum(['AUTOMATIC_FAILOVER', 'MANUAL_REVIEW_REQUIRED', 'MONITOR']),
    confidence: z.enum(['HIGH', 'MEDIUM', 'LOW']),
    reason: text,
  });

  const watchSpecSchema = z.strictObject({
    checks: z.array(healthCheckSpecSchema).min(1),
    signals: z.array(signalSpecSchema).optional(),
    policy: z
      .strictObject({
        rules: z.array(policyRuleSchema).optional(),
        minTimeInStateMs: nonNegativeInt.optional(),
        allowAutomaticPromotion: z.boolean().optional(),
      })
      .optional(),
    allowAutomaticPromotion: z.boolean().optional(),
  });

  /** The whole plan document. `parsePlan` wraps it so that nothing throws. */
  const failoverPlanSchema = z.strictObject({
    version: z.literal(1),
    id: text,
    name: text,
    description: z.string().optional(),
    sourceRegion: text,
    targetRegion: text,
    targetRegionAliases: z.array(text).optional(),
    objectives: recoveryObjectivesSchema.optional(),
    concurrency: positiveInt.optional(),
    steps: z.array(planStepSchema).min(1),
    allowForcedWithoutApproval: z.boolean().optional(),
    watch: watchSpecSchema.optional(),
  });

  /** Names the shared parts of the JSON Schema, so `$defs` read like the TypeScript types. */
  const jsonSchemaDefinitions: ReadonlyArray<[Zod.ZodType, string, string]> = [
    [
      planStepSchema,
      'PlanStep',
      'One step: check, action, approval, verify, wait, notify, or a group of steps.',
    ],
    [checkSpecSchema, 'CheckSpec', 'A condition observed without changing anything.'],
    [actionSpecSchema, 'ActionSpec', 'What an action step makes true, on a provider named in the plan.'],
    [retryPolicySchema, 'RetryPolicy', 'Retries of one step; only retryable errors are retried.'],
    [dnsRecordRefSchema, 'DnsRecordRef', 'Which record set: zone, name and type.'],
    [dnsDesiredStateSchema, 'DnsDesiredState', 'What must be true of a record set after the step.'],
    [dnsTargetSchema, 'DnsTarget', 'One answer of a record set.'],
    [databaseRefSchema, 'DatabaseRef', 'Which database.'],
    [nodePoolRefSchema, 'NodePoolRef', 'Which node pool: cluster, pool, and region.'],
    [poolSizeSchema, 'PoolSize', 'A node count, or a percentage of another pool.'],
    [
      watchSpecSchema,
      'WatchSpec',
      'The health checks and decision policy `failover watch` runs the plan on.',
    ],
    [healthCheckSpecSchema, 'HealthCheckSpec', 'One layered health check read from a signal source.'],
    [signalSpecSchema, 'SignalSpec', 'A core signal source declared in the plan.'],
    [policyRuleSchema, 'PolicyRule', 'One rule of the decision policy: the first that matches decides.'],
  ];

  // zod itself too, for the JSON Schema generator.
  return {
    z,
    providerNameSchema,
    resourceJsonSchema,
    databaseRefSchema,
    nodePoolRefSchema,
    dnsRecordRefSchema,
    dnsRoutingSchema,
    dnsTargetSchema,
    dnsTargetPatchSchema,
    dnsDesiredStateSchema,
    failoverModeSchema,
    databaseDesiredStateSchema,
    poolSizeSchema,
    checkSpecSchema,
    actionSpecSchema,
    retryPolicySchema,
    checkStepSchema,
    actionStepSchema,
    approvalStepSchema,
    verifyStepSchema,
    waitStepSchema,
    notifyStepSchema,
    groupStepSchema,
    planStepSchema,
    recoveryObjectivesSchema,
    healthCheckSpecSchema,
    jsonPathAssertionSchema,
    signalSpecSchema,
    policyRuleSchema,
    watchSpecSchema,
    failoverPlanSchema,
    jsonSchemaDefinitions,
  };
}

/** The plan schemas, as `planSchemas()` returns them (`PlanSchemas['failoverPlanSchema']`, …). */
export type PlanSchemas = ReturnType<typeof definePlanSchemas>;

let defined: PlanSchemas | undefined;

/**
 * The plan schemas, defined on the first call (which loads zod, synchronously) and
 * the same objects on every call after it.
 * @internal
 */
export function planSchemas(): PlanSchemas {
  defined ??= definePlanSchemas(requireZod());
  return defined;
}

/**
 * The JSON Schema (draft 2020-12) of a plan document, generated from the same
 * zod schema `parsePlan` uses, so the two always agree. A new object each call.
 *
 * @example
 * writeFileSync('failover-plan.schema.json', JSON.stringify(failoverPlanJsonSchema(), null, 2));
 */
export function failoverPlanJsonSchema(): Record<string, unknown> {
  const { z, failoverPlanSchema, jsonSchemaDefinitions } = planSchemas();
  const registry = z.registry<{ id: string; description: string }>();
  for (const [schema, id, description] of jsonSchemaDefinitions) registry.add(schema, { id, description });
  const generated = z.toJSONSchema(failoverPlanSchema, { metadata: registry, target: 'draft-2020-12' });
  const { $schema, ...rest } = generated;
  return {
    $schema,
    title: 'FailoverPlan',
    description: 'A regional failover runbook as data (@failover/core plan format, version 1).',
    ...rest,
  };
}
