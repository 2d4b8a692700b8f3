/**
 * The demo service's go.mod says `go 1.23`: prove it builds and serves its profiles with
 * Go 1.23.5 too (GOTOOLCHAIN fetches that toolchain through the module proxy).
 */
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildService, startService, type RunningService } from '../../src/demo/service.ts';
import { SERVICE_DIR, fetchBytes, fetchText, goroutineDump, goroutineTotal, makeTempDir } from './demo-helpers.ts';

describe('demo service built with Go 1.23.5', () => {
  let tmp: Awaited<ReturnType<typeof makeTempDir>>;
  let binary: string;
  let service: RunningService;

  beforeAll(async () => {
    tmp = await makeTempDir('go123');
    binary = await buildService(SERVICE_DIR, { outputPath: path.join(tmp.dir, 'demo-service-go123'), env: { GOTOOLCHAIN: 'go1.23.5' } });
    service = await startService(binary);
  });
  afterAll(async () => {
    await service?.stop();
    await tmp?.cleanup();
  });

  it('is a go1.23.5 binary', async () => {
    // `go version <file>` reads the build info embedded in the binary.
    const { stdout } = await execa('go', ['version', binary]);
    expect(stdout).toBe(`${binary}: go1.23.5`);
  });

  it('answers /healthz and serves pprof under /user/debug/pprof/', async () => {
    expect((await fetchText(`${service.url}/healthz`)).text).toBe('ok\n');
    expect(goroutineTotal(await goroutineDump(service.url))).toBeGreaterThan(1);
    const heap = await fetchBytes(`${service.url}/user/debug/pprof/heap`);
    expect(heap.bytes.subarray(0, 2).toString('hex')).toBe('1f8b');
    const dump2 = await fetchText(`${service.url}/user/debug/pprof/goroutine?debug=2`);
    expect(dump2.text).toMatch(/^goroutine \d+ \[[^\]]+\]:\n/);
  });
});
