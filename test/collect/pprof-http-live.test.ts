/**
 * fetchPprof against a real Go service (test/fixtures/go/pprof-server) serving
 * net/http/pprof under a custom base path.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Profile } from 'pprof-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchPprof, PprofFetchError, type PprofFetchRequest } from '../../src/collect/pprof-http.ts';
import { buildPprofServer, startPprofServer, type RunningServer } from './go-pprof-server.ts';

const BASE = '/user/debug/pprof';
let binary: string;
let outDir: string;
const servers: RunningServer[] = [];
let plain: RunningServer;

async function start(args: string[]): Promise<RunningServer> {
  const server = await startPprofServer(binary, ['-base', BASE, ...args]);
  servers.push(server);
  return server;
}

let fileCounter = 0;
function fetchFrom(targetUrl: string, req: Partial<PprofFetchRequest> & { profile: string }) {
  return fetchPprof({ targetUrl, pprofBase: BASE, timeoutMs: 10_000, outputPath: join(outDir, `out-${++fileCounter}`), ...req });
}

async function fetchError(promise: Promise<unknown>): Promise<PprofFetchError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PprofFetchError);
  return error as PprofFetchError;
}

function decode(bytes: Buffer) {
  const profile = Profile.decode(gunzipSync(bytes));
  const types = profile.sampleType.map((t) => profile.stringTable.strings[Number(t.type)]);
  return { profile, types };
}

beforeAll(async () => {
  binary = await buildPprofServer();
  outDir = await mkdtemp(join(tmpdir(), 'gotriage-pprof-live-'));
  plain = await start([]);
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
});

describe('fetchPprof from a Go service', () => {
  it.each(['/user/debug/pprof', '/user/debug/pprof/', 'user/debug/pprof'])(
    'fetches the goroutine profile as proto with base path %j',
    async (pprofBase) => {
      const result = await fetchFrom(plain.url, { profile: 'goroutine', pprofBase });
      expect(result.url).toBe(`${plain.url}/user/debug/pprof/goroutine`);
      expect(result.status).toBe(200);
      expect(result.format).toBe('pprof-proto');
      expect(result.problems).toEqual([]);
      const bytes = await readFile(result.outputPath);
      expect(result.bytes).toBe(bytes.length);
      expect(result.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
      const { profile, types } = decode(bytes);
      expect(types).toEqual(['goroutine']);
      expect(profile.sample.length).toBeGreaterThan(0);
    },
  );

  it('fetches goroutine dumps as text with debug=1 and debug=2', async () => {
    const grouped = await fetchFrom(plain.url, { profile: 'goroutine', debug: '1' });
    const full = await fetchFrom(plain.url, { profile: 'goroutine', debug: '2' });
    expect(grouped.url).toMatch(/goroutine\?debug=1$/);
    expect([grouped.format, full.format]).toEqual(['goroutines-text', 'goroutines-text']);
    expect(await readFile(grouped.outputPath, 'utf8')).toMatch(/^goroutine profile: total \d+\n[\s\S]*main\.parkForever/);
    expect(await readFile(full.outputPath, 'utf8')).toMatch(/^goroutine \d+ \[[\s\S]*main\.parkForever/);
  });

  it('fetches the heap profile with its four sample types', async () => {
    const result = await fetchFrom(plain.url, { profile: 'heap' });
    expect(result.format).toBe('pprof-proto');
    expect(decode(await readFile(result.outputPath)).types).toEqual(['alloc_objects', 'alloc_space', 'inuse_objects', 'inuse_space']);
  });

  it('captures a 1 s CPU profile and a 1 s execution trace', async () => {
    const [cpu, trace] = await Promise.all([
      fetchFrom(plain.url, { profile: 'profile', seconds: 1, timeoutMs: 5_000 }),
      fetchFrom(plain.url, { profile: 'trace', seconds: 1, timeoutMs: 5_000 }),
    ]);
    expect(cpu.url).toMatch(/profile\?seconds=1$/);
    expect(cpu.format).toBe('pprof-proto');
    expect(decode(await readFile(cpu.outputPath)).types).toEqual(['samples', 'cpu']);
    expect(trace.format).toBe('trace');
    expect((await readFile(trace.outputPath)).subarray(0, 16).toString('latin1')).toMatch(/^go 1\.\d+ trace\0/);
  });

  it('says the mutex and block profiles need enabling when the service never did', async () => {
    for (const debug of [undefined, '1'] as const) {
      const mutex = await fetchFrom(plain.url, { profile: 'mutex', debug });
      const block = await fetchFrom(plain.url, { profile: 'block', debug });
      expect(mutex.problems.join('\n')).toContain('runtime.SetMutexProfileFraction');
      expect(block.problems.join('\n')).toContain('runtime.SetBlockProfileRate');
    }
  });

  it('reports no problem for mutex and block profiles of a service that enabled them', async () => {
    const enabled = await start(['-mutex-fraction', '1', '-block-rate', '1']);
    // The service's workers contend and block from the start, but on a loaded machine the
    // first events can take a moment: poll (bounded) until the profiles hold samples.
    let mutex: Awaited<ReturnType<typeof fetchFrom>> | undefined;
    let block: Awaited<ReturnType<typeof fetchFrom>> | undefined;
    for (let attempt = 0; attempt < 20; attempt++) {
      mutex = await fetchFrom(enabled.url, { profile: 'mutex' });
      block = await fetchFrom(enabled.url, { profile: 'block', debug: '1' });
      if (mutex.problems.length === 0 && block.problems.length === 0) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(mutex!.problems).toEqual([]);
    expect(block!.problems).toEqual([]);
    expect(decode(await readFile(mutex!.outputPath)).profile.sample.length).toBeGreaterThan(0);
  });

  it('makes a second concurrent CPU profile a retryable error that says why', async () => {
    const first = fetchFrom(plain.url, { profile: 'profile', seconds: 2 });
    await new Promise((r) => setTimeout(r, 500));
    const error = await fetchError(fetchFrom(plain.url, { profile: 'profile', seconds: 1 }));
    expect(error.retryable).toBe(true);
    expect(error.status).toBe(500);
    expect(error.message).toContain('another CPU profile is already running');
    expect((await first).format).toBe('pprof-proto');
  });

  it('names an unknown profile and rejects seconds with debug', async () => {
    const unknown = await fetchError(fetchFrom(plain.url, { profile: 'nosuchprofile' }));
    expect(unknown.message).toContain(`unknown profile 'nosuchprofile'`);
    expect(unknown.message).toContain('/user/debug/pprof/nosuchprofile');
    expect(unknown.retryable).toBe(false);
    const mixed = await fetchError(fetchFrom(plain.url, { profile: 'heap', debug: '1', seconds: 1 }));
    expect(mixed.status).toBe(400);
    expect(mixed.message).toContain('seconds and debug params are incompatible');
  });

  it('says when the base path is wrong', async () => {
    const error = await fetchError(fetchFrom(plain.url, { profile: 'heap', pprofBase: '/debug/pprof' }));
    expect(error.status).toBe(404);
    expect(error.hint).toContain('base path');
  });
});

describe('credentials in the target URL', () => {
  it('sends them as Basic auth and never shows them', async () => {
    const guarded = await start(['-basic-auth', 'ops:s3cr3t-pw']);
    const host = guarded.url.replace('http://', '');
    const ok = await fetchFrom(`http://ops:s3cr3t-pw@${host}/?token=tok-9f8e7d`, { profile: 'goroutine', debug: '1' });
    expect(ok.format).toBe('goroutines-text');
    expect(JSON.stringify(ok)).not.toMatch(/s3cr3t-pw|tok-9f8e7d/);

    const denied = await fetchError(fetchFrom(`http://ops:wrong-pw@${host}/?token=tok-9f8e7d`, { profile: 'goroutine' }));
    expect(denied.status).toBe(401);
    const everything = [denied.message, denied.hint, denied.endpoint, JSON.stringify(denied), String(denied.stack)].join('\n');
    expect(everything).not.toMatch(/wrong-pw|tok-9f8e7d/);
    expect(denied.endpoint).toContain(host);
  });
});

describe('TLS', () => {
  it('refuses a self-signed certificate with its own message', async () => {
    const tls = await start(['-tls', 'self-signed']);
    const error = await fetchError(fetchFrom(tls.url, { profile: 'heap' }));
    expect(error.message).toMatch(/TLS certificate of https:\/\/127\.0\.0\.1:\d+\/user\/debug\/pprof\/heap is not trusted/);
    expect(error.hint).toContain('never turns certificate checks off');
  });

  it('refuses an expired certificate with its own message', async () => {
    const tls = await start(['-tls', 'expired']);
    const error = await fetchError(fetchFrom(tls.url, { profile: 'heap' }));
    expect(error.message).toMatch(/TLS certificate of .* is expired/);
    expect(error.retryable).toBe(false);
  });
});

describe('a server whose WriteTimeout is shorter than the capture', () => {
  it('says the WriteTimeout is the likely cause', async () => {
    // -wrap-writer hides http.ResponseController, so pprof cannot extend the deadline.
    const short = await start(['-write-timeout', '1s', '-wrap-writer']);
    const error = await fetchError(fetchFrom(short.url, { profile: 'profile', seconds: 2 }));
    expect(error.message).toContain('closed the connection without a response during a 2 s capture');
    expect(error.hint).toContain('WriteTimeout');
  });
});
