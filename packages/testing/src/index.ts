/**
 * `@failover/testing`: a simulated cloud for plan tests, mocks of the provider interfaces,
 * and (from `@failover/testing/conformance`) the conformance kit every adapter runs.
 *
 * @packageDocumentation
 */

export * from './mocks/index.js';
export * from './simulator/index.js';
