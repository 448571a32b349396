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
  mergeData(patch: Record<string, unknown>): string | undefined {
    const next = { ...this.data };
    for (const [key, value] of Object.entries(patch)) {
      if (value === null) delete next[key];
      else if (typeof value === 'string') next[key] = value;
      else return `data[${key}]: Invalid value: must be a string`;
    }
    if (JSON.stringify(next) !== JSON.stringify(this.data)) {
      this.data = next;
      this.version = this.nextResourceVersion();
    }
    return undefined;
  }

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
      },
      // An empty ConfigMap has no `data` at all (omitempty).
      ...(Object.keys(this.data).length > 0 && { data: { ...this.data } }),
    };
  }
}
