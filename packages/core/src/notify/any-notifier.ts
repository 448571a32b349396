import type { Notifier } from '../executor/notifier.js';
import type { NotifierV1 } from './notifier-v1.js';

/** A notifier of any supported version: a `NotifierV1`, or a `Notifier` function. */
export type AnyNotifier = NotifierV1 | Notifier;

/** True for a `NotifierV1` (it says which specification it implements). */
export function isNotifierV1(notifier: AnyNotifier): notifier is NotifierV1 {
  return typeof notifier === 'object' && notifier !== null && notifier.specificationVersion === 'v1';
}
