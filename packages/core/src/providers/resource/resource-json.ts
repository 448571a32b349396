/**
 * A plain JSON object: what a resource reference, a desired or observed state and a
 * check's condition are. They are journaled, diffed and shown in reports as they are,
 * so they must survive `JSON.stringify` and `JSON.parse` unchanged (no `undefined`,
 * functions, dates, `NaN` or class instances).
 */
export type ResourceJson = Record<string, unknown>;
