/**
 * captureProfiles against two real demo-service instances (under load), a dead port and
 * an HTML login page answering 200: every kind lands in its own file per target, the
 * files are what they claim to be, and a bad target never costs the good ones anything.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeProfileFile } from '../../src/analyze/profile.ts';
import { captureProfiles, targetDirectories, type CaptureResult } from '../../src/collect/capture.ts';
import { PPROF_KINDS } from '../../src/core/pprof-endpoints.ts';
import { UsageError } from '../../src/core/errors.ts';
import { startLoad, type RunningLoad } from '../../src/demo/load.ts';
import { buildService, startService, type RunningService } from '../../src/demo/service.ts';
import { demoServiceDir } from '../helpers/demo-service.ts';

const BASE = '/user/debug/pprof';
let dir: string;
const services: RunningService[] = [];
const loads: RunningLoad[] = [];
let loginPage: Server;
let loginUrl: string;
let deadUrl: string;

/** A loopback port nobody listens on: bound, then closed. */
async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return `http://127.0.0.1:${port}`;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gotriage-capture-'));
  const binary = await buildService(demoServiceDir, { outputPath: join(dir, 'demo-service') });
  for (let i = 0; i < 2; i++) {
    const service = await startService(binary);
    services.push(service);
    loads.push(startLoad(service.url, { paths: ['/checksum?n=3000', '/hit'], concurrency: 1 }));
  }
  loginPage = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><html><body><form>Sign in</form></body></html>');
  });
  await new Promise<void>((r) => loginPage.listen(0, '127.0.0.1', r));
  loginUrl = `http://127.0.0.1:${(loginPage.address() as { port: number }).port}`;
  deadUrl = await closedPortUrl();
});

afterAll(async () => {
  await Promise.all(loads.map((l) => l.stop()));
  await Promise.all(services.map((s) => s.stop()));
  await new Promise<void>((r) => loginPage?.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

const hostDir = (url: string) => url.replace('http://', '').replace(':', '_');

describe('every profile kind from two live instances, a dead one and a login page', () => {
  let results: CaptureResult[];
  let outDir: string;
  const seen: string[] = [];

  beforeAll(async () => {
    outDir = join(dir, 'all');
    // The second live target carries credentials: they must not reach results or paths.
    const withCreds = services[1]!.url.replace('http://', 'http://oncall:s3cret-pw@');
    results = await captureProfiles({
      targets: [services[0]!.url, withCreds, deadUrl, loginUrl],
      pprofBase: BASE,
      profiles: PPROF_KINDS,
      seconds: 1,
      outDir,
      timeoutMs: 10_000,
      onResult: (r) => seen.push(`${r.target} ${r.name}`),
    });
  });

  it('writes each kind to <host_port>/<profile>.<ext> for each live target, validated', async () => {
    for (const service of services) {
      const mine = results.filter((r) => r.target === service.url.replace('http://', 'http://***@') || r.target === service.url);
      const byName = Object.fromEntries(mine.map((r) => [r.name, r]));
      expect(Object.keys(byName).sort()).toEqual([
        'allocs.pb.gz',
        'block.pb.gz',
        'cpu.pb.gz',
        'goroutine.pb.gz',
        'goroutine.txt',
        'goroutineleak.pb.gz',
        'heap.pb.gz',
        'mutex.pb.gz',
        'threadcreate.pb.gz',
        'trace.out',
      ]);
      const files = readdirSync(join(outDir, hostDir(service.url))).sort();
      // goroutineleak is not served by the demo (it needs GOEXPERIMENT on Go 1.26): no file, not a failure.
      expect(byName['goroutineleak.pb.gz']!.status).toBe('unavailable');
      expect(byName['goroutineleak.pb.gz']!.reason).toMatch(/GOEXPERIMENT=goroutineleakprofile/);
      const written = mine
        .filter((r) => r.status === 'ok')
        .map((r) => r.name)
        .sort();
      expect(written).toHaveLength(9);
      expect(files).toEqual(written);
      for (const r of mine.filter((x) => x.status === 'ok')) expect(r.bytes).toBe(readFileSync(r.path!).length);

      const cpu = await decodeProfileFile(byName['cpu.pb.gz']!.path!);
      expect(cpu.sampleTypes.map((t) => t.type)).toContain('cpu');
      expect(cpu.durationNanos).toBeGreaterThanOrEqual(1e9);
      expect(readFileSync(byName['trace.out']!.path!).subarray(0, 16).toString('latin1')).toMatch(/^go 1\.\d+ trace\0/);
      expect(readFileSync(byName['goroutine.txt']!.path!, 'utf8')).toMatch(/^goroutine \d+ \[/);
      const heap = await decodeProfileFile(byName['heap.pb.gz']!.path!);
      expect(heap.sampleTypes.map((t) => t.type)).toEqual(['alloc_objects', 'alloc_space', 'inuse_objects', 'inuse_space']);
    }
  });

  it('a dead target fails every kind as connection refused, the live ones are untouched', () => {
    const dead = results.filter((r) => r.target === deadUrl);
    expect(dead).toHaveLength(10);
    for (const r of dead) {
      expect(r.status).toBe('failed');
      expect(r.reason).toMatch(/refused/i);
      expect(r.path).toBeUndefined();
    }
    expect(results.filter((r) => r.target !== deadUrl && r.target !== loginUrl && r.status === 'failed')).toEqual([]);
  });

  it('a login page served with 200 is a failure naming the endpoint; its bytes are kept as .failed, never as the profile', () => {
    const cpu = results.find((r) => r.target === loginUrl && r.name === 'cpu.pb.gz')!;
    expect(cpu.status).toBe('failed');
    expect(cpu.reason).toContain(`${loginUrl}${BASE}/profile?seconds=1`);
    expect(cpu.reason).toMatch(/HTML page/);
    expect(cpu.path).toBe(join(outDir, hostDir(loginUrl), 'cpu.pb.gz.failed'));
    expect(cpu.reason).toContain(cpu.path); // the message points at the file that exists
    expect(readFileSync(cpu.path!, 'utf8')).toContain('Sign in');
    expect(readdirSync(join(outDir, hostDir(loginUrl))).filter((f) => !f.endsWith('.failed'))).toEqual([]);
  });

  it('never shows the credentials of a target, and reports progress for every file', () => {
    const text = JSON.stringify(results) + seen.join('\n') + readdirSync(outDir).join('\n');
    expect(text).not.toContain('s3cret-pw');
    expect(results.filter((r) => r.target.includes('***@'))).toHaveLength(10);
    expect(seen).toHaveLength(results.length);
  });
});

describe('capture edge cases', () => {
  it('with concurrency 1 captures one request at a time and still gets everything', async () => {
    const outDir = join(dir, 'sequential');
    const results = await captureProfiles({
      targets: [services[0]!.url],
      pprofBase: BASE,
      profiles: ['heap', 'goroutine', 'mutex'],
      seconds: 1,
      outDir,
      concurrency: 1,
    });
    expect(results.map((r) => [r.name, r.status])).toEqual([
      ['heap.pb.gz', 'ok'],
      ['goroutine.pb.gz', 'ok'],
      ['goroutine.txt', 'ok'],
      ['mutex.pb.gz', 'ok'],
    ]);
  });

  it('a cancel ends the running CPU window and the queued requests as failed, keeping nothing half-written under a profile name', async () => {
    const outDir = join(dir, 'cancelled');
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('test cancel')), 500);
    const results = await captureProfiles({
      targets: [services[0]!.url],
      pprofBase: BASE,
      profiles: ['cpu', 'heap'],
      seconds: 30,
      outDir,
      concurrency: 1,
      signal: controller.signal,
    });
    expect(results.map((r) => [r.name, r.status])).toEqual([
      ['cpu.pb.gz', 'failed'],
      ['heap.pb.gz', 'failed'],
    ]);
    for (const r of results) expect(r.reason).toMatch(/cancelled/);
    expect(readdirSync(join(outDir, hostDir(services[0]!.url))).filter((f) => f.endsWith('.pb.gz'))).toEqual([]);
  });

  it('names one directory per target, without credentials, unique even for the same host and port', () => {
    expect(
      targetDirectories(['http://u:p@127.0.0.1:6060/', 'http://[::1]:7070', 'https://127.0.0.1', 'http://127.0.0.1:6060/other']),
    ).toEqual(['127.0.0.1_6060', '__1_7070', '127.0.0.1_443', '127.0.0.1_6060-2']);
    expect(() => targetDirectories(['ftp://127.0.0.1'])).toThrow(UsageError);
    expect(() => targetDirectories(['not a url https://x:tok@h'])).toThrow(/not a URL/);
  });
});
