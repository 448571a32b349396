/** A core/v1 ConfigMap: string data only (no binaryData), changed by JSON merge-patch. */
export class KubernetesConfigMap {
  private version: number;

  constructor(
    readonly namespace: string,
    readonly name: string,
    private data: Record<string, string>,
    private readonly createdAt: number,
    private readonly nextResourceVersion: () => number,
  ) {
    this.version = nextResourceVersion();
  }

  get resourceVersion(): string {
    return String(this.version);
  }

  /**
   * Applies a merge patch's `data` (RFC 7386: `null` removes a key); returns
   * the API's message when a value is not a string.
   */
  mergeData(
    patch: Record<string, unknown>,
    annotationsPatch: Record<string, unknown> = {},
  ): string | undefined {
    const next = merged(this.data, patch, 'data');
    if (typeof next === 'string') return next;
    const annotations = merged(this.annotations, annotationsPatch, 'metadata.annotations');
    if (typeof annotations === 'string') return annotations;
    if (
      JSON.stringify(next) !== JSON.stringify(this.data) ||
      JSON.stringify(annotations) !== JSON.stringify(this.annotations)
    ) {
      this.data = next;
      this.annotations = annotations;
      this.version = this.nextResourceVersion();
    }
    return undefined;
  }

  private annotations: Record<string, string> = {};

  toResource(): Record<string, unknown> {
    return {
      kind: 'ConfigMap',
      apiVersion: 'v1',
      metadata: {
        name: this.name,
        namespace: this.namespace,
        uid: `configmap-${this.namespace}-${this.name}`,
        resourceVersion: this.resourceVersion,
        creationTimestamp: new Date(this.createdAt).toISOString(),
        ...(Object.keys(this.annotations).length > 0 && { annotations: { ...this.annotations } }),
      },
      // An empty ConfigMap has no `data` at all (omitempty).
      ...(Object.keys(this.data).length > 0 && { data: { ...this.data } }),
    };
  }
}

/** A string map after a merge patch (`null` removes a key), or the API's message for a value that is not a string. */
function merged(
  current: Record<string, string>,
  patch: Record<string, unknown>,
  field: string,
): Record<string, string> | string {
  const next = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete next[key];
    else if (typeof value === 'string') next[key] = value;
    else return `${field}[${key}]: Invalid value: must be a string`;
  }
  return next;
}
