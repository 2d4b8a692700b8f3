/**
 * Shared setup for the store tests: temp directories and sample inputs.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { openStore } from '../../src/store/open.ts';
import type { NewIncident, Store } from '../../src/store/store.ts';

const dirs: string[] = [];
const stores: Store[] = [];

afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temp directory, removed after the test. */
export function makeTempDir(prefix = 'gotriage-store-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

/** Opens a store at `path` (default: a new temp dir), closed after the test. */
export function openTestStore(path = join(makeTempDir(), 'gotriage.db')): Store {
  const store = openStore({ path });
  stores.push(store);
  return store;
}

/** Closes `store` and opens its file again: what a later `gotriage resume` sees. */
export async function reopenStore(store: Store): Promise<Store> {
  await store.close();
  return openTestStore(store.dbPath);
}

/** A plausible incident as the alert step would create it. */
export function sampleIncident(overrides: Partial<NewIncident> = {}): NewIncident {
  return {
    title: 'checkout p99 latency above 2s',
    severity: 'high',
    service: 'checkout',
    playbookName: 'latency',
    playbookPath: '/etc/gotriage/playbooks/latency.yaml',
    params: { target: 'http://127.0.0.1:6060', serviceDir: '/src/checkout' },
    alert: { labels: { alertname: 'HighLatency', instance: 'checkout-1' }, startsAt: '2025-01-01T10:00:00Z' },
    ...overrides,
  };
}

/** Writes `content` to a new file in a temp dir and returns its path. */
export function writeSourceFile(content: string | Buffer, name = 'output.txt'): string {
  const path = join(makeTempDir('gotriage-src-'), name);
  writeFileSync(path, content);
  return path;
}
