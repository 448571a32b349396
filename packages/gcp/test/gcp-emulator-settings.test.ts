import { startEmulator } from '@failover/emulator';
import { describe, expect, it } from 'vitest';
import { createGcp, emulatorRootUrls } from '../src/index.js';
import { project, runbookSeed } from './gcp-emulator-world.js';

describe('pointing @failover/gcp at the emulator without google-auth-library', () => {
  it('sends a fixed access token and reaches every API through emulatorRootUrls', async () => {
    const emulator = await startEmulator({ timeScale: 0, seed: { gcp: runbookSeed() } });
    try {
      const gcp = createGcp({
        project,
        accessToken: 'emulator-token',
        rootUrls: emulatorRootUrls(`${emulator.url}/`),
        time: emulator.clock,
      });
      const seededInstance = runbookSeed().projects![0]!.sqlInstances![0]!.name;
      const topology = await gcp.databaseFailover().describe({ id: seededInstance });
      expect(topology.isOk() ? topology.value.id : topology.error.message).toBe(seededInstance);
      // The emulator answers 401 without a bearer token, so reaching the operation proves it was sent.
      expect(emulator.requests.list({ service: 'gcp.sqladmin' }).map((entry) => entry.status)).not.toContain(
        401,
      );
      expect(emulator.requests.count({ service: 'gcp.sqladmin' })).toBeGreaterThan(0);
    } finally {
      await emulator.stop();
    }
  });

  it('builds one root URL per API under its mount', () => {
    expect(emulatorRootUrls('http://127.0.0.1:9')).toEqual({
      dns: 'http://127.0.0.1:9/gcp/dns/',
      sqladmin: 'http://127.0.0.1:9/gcp/sqladmin/',
      container: 'http://127.0.0.1:9/gcp/container/',
      compute: 'http://127.0.0.1:9/gcp/compute/',
      monitoring: 'http://127.0.0.1:9/gcp/monitoring/',
    });
  });
});
