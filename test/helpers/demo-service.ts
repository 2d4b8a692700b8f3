/**
 * The real demo service for integration tests: built once per test file from
 * examples/demo-service, started on a free loopback port, with load driven at it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildService, startService, type RunningService } from '../../src/demo/service.js';
import { startLoad, type RunningLoad } from '../../src/demo/load.js';
import { repoRoot } from './cli.js';

export const demoServiceDir = join(repoRoot, 'examples', 'demo-service');

export interface DemoFixture {
  service: RunningService;
  load: RunningLoad;
  stop(): Promise<void>;
}

export async function startDemoService(): Promise<DemoFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'gotriage-test-svc-'));
  const binary = await buildService(demoServiceDir, { outputPath: join(dir, 'demo-service') });
  const service = await startService(binary);
  const load = startLoad(service.url, { paths: ['/export', '/hit', '/checksum?n=3000'], concurrency: 3 });
  return {
    service,
    load,
    async stop() {
      await load.stop();
      await service.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
