/**
 * The provider interfaces; a plan names which one each step needs. `resource` is the
 * open kind, for anything the three built-in ones do not cover.
 */
export type ProviderKind = 'dns' | 'database' | 'cluster' | 'resource';

/** What every provider object declares about itself, read before any call. */
export interface ProviderIdentity<K extends ProviderKind> {
  /** The version of this interface the provider implements. */
  readonly specificationVersion: 'v1';
  readonly kind: K;
  /** Stable id used in errors, events and reports, e.g. `aws.route53`. */
  readonly provider: string;
}
