import type {
  EmulatorRequest,
  EmulatorResponse,
  EmulatorService,
  RouteMatch,
  ServiceContext,
} from '../server/emulator-types.js';
import { KubernetesConfigMap } from './kubernetes-configmap.js';
import { KubernetesHpa } from './kubernetes-hpa.js';
import { type LabelMatcher, parseLabelSelector } from './kubernetes-label-selector.js';
import type { KubernetesSeed } from './kubernetes-seed.js';
import { kubernetesStatus } from './kubernetes-status.js';
import { type KubernetesTokenScheme, tokenProblem } from './kubernetes-token.js';
import { type VeleroBackupSeed, VeleroRestore, veleroBackup } from './kubernetes-velero.js';
import { veleroSchedule, veleroSchedules } from './kubernetes-velero-schedule.js';
import { KubernetesWorkload } from './kubernetes-workload.js';

const resourceKinds = { deployments: 'Deployment', statefulsets: 'StatefulSet' } as const;
type Resource = keyof typeof resourceKinds;

// /<cluster>/apis/apps/v1/namespaces/<ns>/<deployments|statefulsets>[/<name>[/scale]]
// /<cluster>/apis/autoscaling/v2/namespaces/<ns>/horizontalpodautoscalers/<name>
const hpaPattern =
  /^\/([^/]+)\/apis\/autoscaling\/v2\/namespaces\/([^/]+)\/horizontalpodautoscalers\/([^/]+)\/?$/;
// /<cluster>/api/v1/namespaces/<ns>/configmaps/<name>
const configMapPattern = /^\/([^/]+)\/api\/v1\/namespaces\/([^/]+)\/configmaps\/([^/]+)\/?$/;
// /<cluster>/apis/velero.io/v1/namespaces/<ns>/<backups|restores|schedules>[/<name>]
const veleroPattern =
  /^\/([^/]+)\/apis\/velero\.io\/v1\/namespaces\/([^/]+)\/(backups|restores|schedules)(?:\/([^/]+))?\/?$/;
const pathPattern =
  /^\/([^/]+)\/apis\/apps\/v1\/namespaces\/([^/]+)\/(deployments|statefulsets)(?:\/([^/]+)(\/scale)?)?\/?$/;

/**
 * The Kubernetes API subset the workload steps need, one API server per
 * cluster: apps/v1 Deployments and StatefulSets (get, list, scale
 * subresource), autoscaling/v2 HPAs (get, patch), core/v1 ConfigMaps (get,
 * patch) and velero.io/v1 Backups, Schedules and Restores. LIST takes
 * equality- and set-based label selectors. Bearer auth required.
 */
export function createKubernetesService(context: ServiceContext, seed: KubernetesSeed = {}): EmulatorService {
  const timings = {
    podReadyMs: context.duration('kubernetes.podReady', 30_000),
    controllerSyncMs: context.duration('kubernetes.controllerSync', 1_000),
  };
  let revision = 100;
  const nextResourceVersion = () => ++revision;
  const workloads = new Map<string, KubernetesWorkload>();
  const key = (cluster: string, resource: Resource, namespace: string, name: string) =>
    `${cluster}/${resource}/${namespace}/${name}`;
  const clusters = new Set<string>();
  const readOnly = new Map<string, Set<string>>();
  const hpas = new Map<string, KubernetesHpa>();
  const configMaps = new Map<string, KubernetesConfigMap>();
  const veleroSeeds = new Map<
    string,
    NonNullable<NonNullable<KubernetesSeed['clusters']>[number]['velero']>
  >();
  const restores = new Map<string, VeleroRestore>();
  const startedAt = context.clock.now();
  const restorePickupMs = context.duration('kubernetes.veleroPickup', 2_000);
  const restoreRunMs = context.duration('kubernetes.veleroRestore', 60_000);
  const hpaSyncMs = context.duration('kubernetes.hpaSync', 15_000);

  const regions = new Map<string, string>();
  const schemes = new Map<string, KubernetesTokenScheme>();
  for (const cluster of seed.clusters ?? []) {
    clusters.add(cluster.name);
    regions.set(cluster.name, cluster.region ?? cluster.name);
    schemes.set(cluster.name, cluster.auth ?? 'any');
    readOnly.set(cluster.name, new Set(cluster.readOnlyTokens ?? []));
    for (const workload of cluster.workloads ?? []) {
      const namespace = workload.namespace ?? 'default';
      const resource: Resource = workload.kind === 'Deployment' ? 'deployments' : 'statefulsets';
      workloads.set(
        key(cluster.name, resource, namespace, workload.name),
        new KubernetesWorkload(
          workload.kind,
          namespace,
          workload.name,
          workload.replicas,
          workload.readyReplicas ?? workload.replicas,
          workload.labels ?? { app: workload.name },
          context.clock,
          timings,
          nextResourceVersion,
          workload.env,
        ),
      );
    }
    if (cluster.velero) veleroSeeds.set(cluster.name, cluster.velero);
    for (const configMap of cluster.configMaps ?? []) {
      const namespace = configMap.namespace ?? 'default';
      configMaps.set(
        `${cluster.name}/${namespace}/${configMap.name}`,
        new KubernetesConfigMap(
          namespace,
          configMap.name,
          { ...configMap.data },
          context.clock.now(),
          nextResourceVersion,
        ),
      );
    }
    for (const hpa of cluster.hpas ?? []) {
      const namespace = hpa.namespace ?? 'default';
      const resource: Resource = hpa.target.kind === 'Deployment' ? 'deployments' : 'statefulsets';
      const target = workloads.get(key(cluster.name, resource, namespace, hpa.target.name));
      if (!target) throw new Error(`HPA ${namespace}/${hpa.name}: no ${hpa.target.kind} ${hpa.target.name}`);
      hpas.set(
        `${cluster.name}/${namespace}/${hpa.name}`,
        new KubernetesHpa(
          namespace,
          hpa.name,
          target,
          hpa.minReplicas ?? 1,
          hpa.maxReplicas,
          context.clock,
          hpaSyncMs,
          nextResourceVersion,
        ),
      );
    }
  }

  const service: EmulatorService = {
    id: 'kubernetes.apps',
    cloud: 'kubernetes',
    mount: '/kubernetes',
    errorResponse(kind, detail) {
      if (kind === 'throttled') {
        return kubernetesStatus(429, detail.message, {
          'retry-after': String(detail.retryAfterSeconds ?? 1),
        });
      }
      return kubernetesStatus(kind === 'server-error' ? 500 : 400, detail.message);
    },
    route(request) {
      const routed = routeRequest(request);
      // A blackout of the cluster's region takes its API server down with it.
      const region = regions.get(request.path.split('/')[1] ?? '');
      return 'handle' in routed && region ? { ...routed, region } : routed;
    },
  };

  function routeRequest(request: EmulatorRequest): RouteMatch | EmulatorResponse {
    {
      if (!/^Bearer \S+/i.test(String(request.headers.authorization ?? ''))) {
        return kubernetesStatus(401, 'Unauthorized');
      }
      const scheme = schemes.get(request.path.split('/')[1] ?? '') ?? 'any';
      // The API server says no more than Unauthorized; the reason is for the emulator's own log.
      if (tokenProblem(scheme, bearer(request), context.clock.now()) !== undefined)
        return kubernetesStatus(401, 'Unauthorized');
      for (const hpa of hpas.values()) hpa.sync();
      const hpaMatch = hpaPattern.exec(request.path);
      if (hpaMatch)
        return hpaRoute(request, hpaMatch[1] as string, hpaMatch[2] as string, hpaMatch[3] as string);
      const veleroMatch = veleroPattern.exec(request.path);
      if (veleroMatch)
        return veleroRoute(request, veleroMatch as unknown as [string, string, string, string, string?]);
      const configMapMatch = configMapPattern.exec(request.path);
      if (configMapMatch)
        return configMapRoute(
          request,
          configMapMatch[1] as string,
          configMapMatch[2] as string,
          configMapMatch[3] as string,
        );
      const match = pathPattern.exec(request.path);
      if (!match)
        return kubernetesStatus(404, `the server could not find the requested resource (${request.path})`);
      const [, cluster, namespace, resource, name, scale] = match as unknown as [
        string,
        string,
        string,
        Resource,
        string?,
        string?,
      ];
      if (!clusters.has(cluster)) return kubernetesStatus(404, `no cluster "${cluster}"`);
      const kind = resourceKinds[resource];
      if (request.method !== 'GET' && readOnly.get(cluster)?.has(bearer(request))) {
        const verb = request.method === 'PUT' ? 'update' : request.method.toLowerCase();
        return kubernetesStatus(
          403,
          `${resource}.apps "${name ?? ''}" is forbidden: User "system:serviceaccount:default:reader" cannot ${verb} resource "${resource}${scale ? '/scale' : ''}" in API group "apps" in the namespace "${namespace}"`,
        );
      }

      if (!name) {
        if (request.method !== 'GET')
          return kubernetesStatus(405, `${request.method} is not allowed on a ${resource} list`);
        const selector = parseLabelSelector(request.query.get('labelSelector'));
        if (!selector) return kubernetesStatus(400, 'unable to parse requirement: invalid label selector');
        return listRoute(cluster, namespace, resource, kind, selector);
      }
      const workload = workloads.get(key(cluster, resource, namespace, name));
      const notFound = () => kubernetesStatus(404, `${resource}.apps "${name}" not found`);
      if (!scale) {
        if (request.method === 'PATCH') return workloadPatchRoute(request, kind, resource, name, workload);
        if (request.method !== 'GET')
          return kubernetesStatus(405, `${request.method} is not supported on ${resource} here`);
        return readRoute(`read${kind}`, () => (workload ? ok(workload.toResource()) : notFound()));
      }
      if (request.method === 'GET') {
        return readRoute(`read${kind}Scale`, () => (workload ? ok(workload.toScale()) : notFound()));
      }
      if (request.method === 'PUT' || request.method === 'PATCH') {
        const operation = `${request.method === 'PUT' ? 'replace' : 'patch'}${kind}Scale`;
        return {
          operation,
          mutating: true,
          handle: ({ stuck }) => {
            if (!workload) return notFound();
            const replicas = requestedReplicas(request);
            if (typeof replicas === 'string')
              return kubernetesStatus(replicas === 'media' ? 415 : 422, replicasError(replicas));
            const precondition = requestedResourceVersion(request);
            if (precondition !== undefined && precondition !== workload.resourceVersion) {
              return kubernetesStatus(
                409,
                `Operation cannot be fulfilled on ${resource}.apps "${name}": the object has been modified; please apply your changes to the latest version and try again`,
              );
            }
            workload.scale(replicas, context.clock.now(), stuck);
            return ok(workload.toScale());
          },
        };
      }
      return kubernetesStatus(405, `${request.method} is not allowed on the scale subresource`);
    }
  }

  /** PATCH of a Deployment or StatefulSet: merge or strategic merge; JSON patch and apply are not served. */
  function workloadPatchRoute(
    request: EmulatorRequest,
    kind: string,
    resource: Resource,
    name: string,
    workload: KubernetesWorkload | undefined,
  ): RouteMatch {
    const contentType = String(request.headers['content-type'] ?? '');
    return {
      operation: `patch${kind}`,
      mutating: true,
      handle: ({ stuck }) => {
        if (!workload) return kubernetesStatus(404, `${resource}.apps "${name}" not found`);
        const strategic = contentType.includes('strategic-merge-patch+json');
        if (!strategic && !contentType.includes('merge-patch+json'))
          return kubernetesStatus(
            415,
            `the body of the request was in an unknown format - accepted media types include: application/merge-patch+json, application/strategic-merge-patch+json`,
          );
        let body: unknown;
        try {
          body = JSON.parse(request.body);
        } catch {
          return kubernetesStatus(400, 'the request body is not valid JSON');
        }
        if (typeof body !== 'object' || body === null || Array.isArray(body))
          return kubernetesStatus(400, 'the patch is not a JSON object');
        const precondition = requestedResourceVersion(request);
        if (precondition !== undefined && precondition !== workload.resourceVersion) {
          return kubernetesStatus(
            409,
            `Operation cannot be fulfilled on ${resource}.apps "${name}": the object has been modified; please apply your changes to the latest version and try again`,
          );
        }
        const outcome = workload.patch(body as Record<string, unknown>, strategic, stuck);
        if (outcome.invalid)
          return kubernetesStatus(422, `${kind}.apps "${name}" is invalid: ${outcome.invalid}`);
        return ok(workload.toResource());
      },
    };
  }

  function veleroRoute(
    request: EmulatorRequest,
    [, cluster, namespace, plural, name]: [string, string, string, string, string?],
  ) {
    if (!clusters.has(cluster)) return kubernetesStatus(404, `no cluster "${cluster}"`);
    const seed = veleroSeeds.get(cluster) ?? {};
    const backups = namespace === 'velero' ? (seed.backups ?? []) : [];
    const backup = (b: VeleroBackupSeed) => veleroBackup(b, namespace, startedAt, String(startedAt));
    const inCluster = [...restores.entries()].filter(([id]) => id.startsWith(`${cluster}/${namespace}/`));
    const list = (kind: string, items: Array<Record<string, unknown>>) =>
      ok({ apiVersion: 'velero.io/v1', kind, metadata: { resourceVersion: String(revision) }, items });
    if (plural === 'backups') {
      if (request.method !== 'GET')
        return kubernetesStatus(405, `${request.method} is not supported on backups here`);
      if (name) {
        const found = backups.find((b) => b.name === name);
        return readRoute('readBackup', () =>
          found ? ok(backup(found)) : kubernetesStatus(404, `backups.velero.io "${name}" not found`),
        );
      }
      const selector = parseLabelSelector(request.query.get('labelSelector'));
      if (!selector) return kubernetesStatus(400, 'unable to parse requirement: invalid label selector');
      return readRoute('listBackups', () =>
        list(
          'BackupList',
          backups.map(backup).filter((b) => selector(b.metadata.labels)),
        ),
      );
    }
    if (plural === 'schedules') {
      if (request.method !== 'GET')
        return kubernetesStatus(405, `${request.method} is not supported on schedules here`);
      const schedules = namespace === 'velero' ? veleroSchedules(seed.schedules ?? [], backups) : [];
      const schedule = (s: (typeof schedules)[number]) =>
        veleroSchedule(s, backups, namespace, startedAt, String(startedAt));
      if (name) {
        const found = schedules.find((s) => s.name === name);
        return readRoute('readSchedule', () =>
          found ? ok(schedule(found)) : kubernetesStatus(404, `schedules.velero.io "${name}" not found`),
        );
      }
      const selector = parseLabelSelector(request.query.get('labelSelector'));
      if (!selector) return kubernetesStatus(400, 'unable to parse requirement: invalid label selector');
      return readRoute('listSchedules', () =>
        list(
          'ScheduleList',
          schedules
            .map(schedule)
            .filter((s) => selector((s.metadata as { labels?: Record<string, string> }).labels ?? {})),
        ),
      );
    }
    if (request.method === 'GET') {
      if (name) {
        const found = restores.get(`${cluster}/${namespace}/${name}`);
        return readRoute('readRestore', () =>
          found ? ok(found.toResource()) : kubernetesStatus(404, `restores.velero.io "${name}" not found`),
        );
      }
      return readRoute('listRestores', () =>
        list(
          'RestoreList',
          inCluster.map(([, r]) => r.toResource()),
        ),
      );
    }
    if (request.method !== 'POST' || name)
      return kubernetesStatus(405, `${request.method} is not supported on restores here`);
    const route: RouteMatch = {
      operation: 'createRestore',
      mutating: true,
      handle: ({ stuck }) => {
        let body: { metadata?: { name?: unknown }; spec?: Record<string, unknown> };
        try {
          body = JSON.parse(request.body) ?? {};
        } catch {
          return kubernetesStatus(400, 'the request body is not valid JSON');
        }
        const restoreName = body.metadata?.name;
        if (typeof restoreName !== 'string' || restoreName === '')
          return kubernetesStatus(
            422,
            'Restore.velero.io "" is invalid: metadata.name: Required value: name or generateName is required',
          );
        const id = `${cluster}/${namespace}/${restoreName}`;
        if (restores.has(id)) return alreadyExists(409, restoreName);
        const backupName = String(body.spec?.backupName ?? '');
        const outcome = backups.some((b) => b.name === backupName)
          ? seed.restoreOutcomes?.[backupName]
          : ({ phase: 'FailedValidation' } as const);
        const restore = new VeleroRestore(
          namespace,
          restoreName,
          body.spec ?? {},
          outcome,
          context.clock.now(),
          context.clock,
          restorePickupMs,
          restoreRunMs,
          stuck,
        );
        restores.set(id, restore);
        return { status: 201, body: restore.toResource() };
      },
    };
    return route;
  }

  function configMapRoute(request: EmulatorRequest, cluster: string, namespace: string, name: string) {
    const configMap = configMaps.get(`${cluster}/${namespace}/${name}`);
    const notFound = () => kubernetesStatus(404, `configmaps "${name}" not found`);
    if (request.method === 'GET') {
      return readRoute('readConfigMap', () => (configMap ? ok(configMap.toResource()) : notFound()));
    }
    if (request.method !== 'PATCH')
      return kubernetesStatus(405, `${request.method} is not supported on configmaps here`);
    if (readOnly.get(cluster)?.has(bearer(request))) {
      return kubernetesStatus(
        403,
        `configmaps "${name}" is forbidden: User "system:serviceaccount:default:reader" cannot patch resource "configmaps" in API group "" in the namespace "${namespace}"`,
      );
    }
    const contentType = String(request.headers['content-type'] ?? '');
    const route: RouteMatch = {
      operation: 'patchConfigMap',
      mutating: true,
      handle: () => {
        if (!configMap) return notFound();
        if (!contentType.includes('merge-patch+json'))
          return kubernetesStatus(415, 'only JSON merge-patch is supported for configmaps here');
        let body: { metadata?: { resourceVersion?: unknown; annotations?: unknown }; data?: unknown };
        try {
          body = JSON.parse(request.body) ?? {};
        } catch {
          return kubernetesStatus(400, 'the request body is not valid JSON');
        }
        const precondition = body.metadata?.resourceVersion;
        if (
          typeof precondition === 'string' &&
          precondition !== '' &&
          precondition !== configMap.resourceVersion
        ) {
          return kubernetesStatus(
            409,
            `Operation cannot be fulfilled on configmaps "${name}": the object has been modified; please apply your changes to the latest version and try again`,
          );
        }
        if (body.data !== undefined && (typeof body.data !== 'object' || body.data === null))
          return kubernetesStatus(400, 'data: must be an object');
        const annotations = body.metadata?.annotations;
        if (annotations !== undefined && (typeof annotations !== 'object' || annotations === null))
          return kubernetesStatus(400, 'metadata.annotations: must be an object');
        const invalid = configMap.mergeData(
          (body.data ?? {}) as Record<string, unknown>,
          (annotations ?? {}) as Record<string, unknown>,
        );
        if (invalid) return kubernetesStatus(422, `ConfigMap "${name}" is invalid: ${invalid}`);
        return ok(configMap.toResource());
      },
    };
    return route;
  }

  function hpaRoute(request: EmulatorRequest, cluster: string, namespace: string, name: string) {
    const hpa = hpas.get(`${cluster}/${namespace}/${name}`);
    const notFound = () => kubernetesStatus(404, `horizontalpodautoscalers.autoscaling "${name}" not found`);
    if (request.method === 'GET') {
      return readRoute('readHorizontalPodAutoscaler', () => (hpa ? ok(hpa.toResource()) : notFound()));
    }
    if (request.method !== 'PATCH')
      return kubernetesStatus(405, `${request.method} is not supported on horizontalpodautoscalers here`);
    const contentType = String(request.headers['content-type'] ?? '');
    const route: RouteMatch = {
      operation: 'patchHorizontalPodAutoscaler',
      mutating: true,
      handle: ({ stuck }) => {
        if (!hpa) return notFound();
        if (contentType.includes('json-patch+json'))
          return kubernetesStatus(415, 'only merge-patch and strategic-merge-patch are supported here');
        let body: {
          metadata?: { resourceVersion?: unknown };
          spec?: { minReplicas?: unknown; maxReplicas?: unknown };
        };
        try {
          body = JSON.parse(request.body) ?? {};
        } catch {
          return kubernetesStatus(400, 'the request body is not valid JSON');
        }
        const precondition = body.metadata?.resourceVersion;
        if (typeof precondition === 'string' && precondition !== '' && precondition !== hpa.resourceVersion) {
          return kubernetesStatus(
            409,
            `Operation cannot be fulfilled on horizontalpodautoscalers.autoscaling "${name}": the object has been modified; please apply your changes to the latest version and try again`,
          );
        }
        const invalid = hpa.setBounds(body.spec?.minReplicas, body.spec?.maxReplicas, stuck);
        if (invalid)
          return kubernetesStatus(
            422,
            `HorizontalPodAutoscaler.autoscaling "${name}" is invalid: ${invalid}`,
          );
        return ok(hpa.toResource());
      },
    };
    if (readOnly.get(cluster)?.has(bearer(request))) {
      return kubernetesStatus(
        403,
        `horizontalpodautoscalers.autoscaling "${name}" is forbidden: User "system:serviceaccount:default:reader" cannot patch resource "horizontalpodautoscalers" in API group "autoscaling" in the namespace "${namespace}"`,
      );
    }
    return route;
  }

  function listRoute(
    cluster: string,
    namespace: string,
    resource: Resource,
    kind: string,
    selector: LabelMatcher,
  ): RouteMatch {
    return readRoute(`list${kind}`, () => {
      const prefix = `${cluster}/${resource}/${namespace}/`;
      const items = [...workloads.entries()]
        .filter(([id]) => id.startsWith(prefix))
        .filter(([, w]) => selector(w.labels))
        .map(([, w]) => w.toResource());
      return ok({
        apiVersion: 'apps/v1',
        kind: `${kind}List`,
        metadata: { resourceVersion: String(revision) },
        items,
      });
    });
  }

  return service;
}

function readRoute(operation: string, handle: () => EmulatorResponse): RouteMatch {
  return { operation, mutating: false, handle };
}

const ok = (body: unknown): EmulatorResponse => ({ status: 200, body });

/** The replica count a scale PUT or merge PATCH asks for, or why it is unusable. */
function requestedReplicas(request: EmulatorRequest): number | 'json' | 'missing' | 'media' {
  const contentType = String(request.headers['content-type'] ?? '');
  if (request.method === 'PATCH' && contentType.includes('json-patch+json')) return 'media';
  let body: unknown;
  try {
    body = JSON.parse(request.body);
  } catch {
    return 'json';
  }
  const replicas = (body as { spec?: { replicas?: unknown } } | null)?.spec?.replicas;
  if (!Number.isInteger(replicas) || (replicas as number) < 0) return 'missing';
  return replicas as number;
}

function replicasError(reason: 'json' | 'missing' | 'media'): string {
  if (reason === 'json') return 'the request body is not valid JSON';
  if (reason === 'media') return 'only merge-patch and strategic-merge-patch are supported for scale';
  return 'spec.replicas: Invalid value: must be a non-negative integer';
}

/** `metadata.resourceVersion` in a scale PUT or patch: a precondition the object must still meet. */
function requestedResourceVersion(request: EmulatorRequest): string | undefined {
  try {
    const version = (JSON.parse(request.body) as { metadata?: { resourceVersion?: unknown } } | null)
      ?.metadata?.resourceVersion;
    return typeof version === 'string' && version !== '' ? version : undefined;
  } catch {
    return undefined;
  }
}

const bearer = (request: EmulatorRequest) => String(request.headers.authorization).replace(/^Bearer\s+/i, '');

/** The `AlreadyExists` Status a create of an existing name gets. */
function alreadyExists(code: number, name: string): EmulatorResponse {
  const response = kubernetesStatus(code, `restores.velero.io "${name}" already exists`);
  return { ...response, body: { ...(response.body as object), reason: 'AlreadyExists' } };
}
