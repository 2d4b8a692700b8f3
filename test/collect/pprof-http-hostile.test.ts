/**
 * fetchPprof against endpoints a real Go service will not misbehave like on demand:
 * Node http servers play the login page, the truncated profile, the stalled proxy;
 * closed ports and `.invalid` hosts give real connection and DNS failures.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, stat } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { InterruptedError } from '../../src/core/errors.ts';
import { fetchPprof, PprofFetchError, type PprofFetchRequest } from '../../src/collect/pprof-http.ts';

const FIXTURES = resolve(import.meta.dirname, '../fixtures/pprof-http/go1.26');
let outDir: string;
const open: http.Server[] = [];

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'gotriage-pprof-hostile-'));
});

afterEach(async () => {
  for (const server of open.splice(0)) {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
});

async function serve(handler: http.RequestListener): Promise<string> {
  const server = http.createServer(handler);
  open.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

let counter = 0;
function fetchFrom(targetUrl: string, req: Partial<PprofFetchRequest> = {}) {
  return fetchPprof({ targetUrl, profile: 'goroutine', timeoutMs: 5_000, outputPath: join(outDir, `hostile-${++counter}`), ...req });
}

async function fetchError(promise: Promise<unknown>): Promise<PprofFetchError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PprofFetchError);
  return error as PprofFetchError;
}

describe('an endpoint that answers with something else', () => {
  it('keeps an HTML login page served with 200 and names the endpoint', async () => {
    const page = '<!DOCTYPE html><html><body><form action="/login">Sign in</form></body></html>';
    const url = await serve((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(page));
    const error = await fetchError(fetchFrom(url));
    expect(error.message).toContain(`${url}/debug/pprof/goroutine did not return a gzip profile.proto`);
    expect(error.message).toContain('HTML page');
    expect(error.artifactPath).toBeDefined();
    expect(await readFile(error.artifactPath!, 'utf8')).toBe(page);
  });

  it('keeps a complete response holding only half a gzip profile', async () => {
    const whole = await readFile(join(FIXTURES, 'goroutine.pb.gz'));
    const half = whole.subarray(0, Math.floor(whole.length / 2));
    const url = await serve((_req, res) => res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(half));
    const error = await fetchError(fetchFrom(url));
    expect(error.message).toContain('truncated or corrupt gzip');
    expect(await readFile(error.artifactPath!)).toEqual(half);
  });

  it('keeps what arrived when the connection breaks mid-body', async () => {
    const whole = await readFile(join(FIXTURES, 'goroutine.pb.gz'));
    const half = whole.subarray(0, Math.floor(whole.length / 2));
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': String(whole.length) });
      res.write(half, () => res.socket?.destroy());
    });
    const error = await fetchError(fetchFrom(url));
    expect(error.message).toContain(`broke after ${half.length} bytes`);
    expect(error.partialPath).toBeDefined();
    expect(await readFile(error.partialPath!)).toEqual(half);
  });

  it('describes a redirect to a login page without following it', async () => {
    const url = await serve((_req, res) => res.writeHead(302, { location: 'https://sso.example/login?token=abc123' }).end());
    const error = await fetchError(fetchFrom(url));
    expect(error.message).toContain('redirected (HTTP 302)');
    expect(error.message).not.toContain('abc123');
  });
});

describe('deadlines and cancel', () => {
  it('fires the deadline on a stall after the headers and keeps the partial bytes', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('goroutine profile: total 3\n'); // then never another byte
    });
    const error = await fetchError(fetchFrom(url, { debug: '1', timeoutMs: 300 }));
    expect(error.message).toContain('timed out after 300 ms');
    expect(error.retryable).toBe(true);
    expect(await readFile(error.partialPath!, 'utf8')).toBe('goroutine profile: total 3\n');
  });

  it('adds the capture seconds to the deadline of a timed capture', async () => {
    const url = await serve((_req, res) => {
      // Answer after 700 ms: past timeoutMs alone, within timeoutMs + seconds.
      setTimeout(() => res.writeHead(200).end('go 1.26 trace\0\0\0'), 700);
    });
    const result = await fetchFrom(url, { profile: 'trace', seconds: 1, timeoutMs: 300 });
    expect(result.format).toBe('trace');
  });

  it('turns an abort into InterruptedError', async () => {
    const url = await serve((_req, res) => res.writeHead(200).write('goroutine profile: total 1\n'));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const error = await fetchFrom(url, { debug: '1', signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InterruptedError);
  });
});

describe('network failures', () => {
  it('says the connection was refused on a closed port', async () => {
    const url = await serve(() => {});
    const server = open.pop()!;
    await new Promise((r) => server.close(r));
    const error = await fetchError(fetchFrom(url));
    expect(error.message).toBe(`connection refused by ${url}/debug/pprof/goroutine`);
    expect(error.hint).toContain('is the service running');
    expect(error.retryable).toBe(true);
  });

  it('says the host name does not resolve', async () => {
    const error = await fetchError(fetchFrom('http://pprof.gotriage.invalid:6060'));
    expect(error.message).toMatch(
      /^cannot resolve host pprof\.gotriage\.invalid for http:\/\/pprof\.gotriage\.invalid:6060\/debug\/pprof\/goroutine \(DNS (ENOTFOUND|EAI_AGAIN)\)$/,
    );
  });
});

describe('the local disk', () => {
  it('blames a full disk, not the service', async () => {
    const url = await serve((_req, res) => res.writeHead(200).end('goroutine profile: total 1\n'));
    // /dev/full opens fine and fails every write with ENOSPC.
    const error = await fetchError(
      fetchPprof({ targetUrl: url, profile: 'goroutine', debug: '1', timeoutMs: 5_000, outputPath: '/dev/full' }),
    );
    expect(error.message).toContain('cannot write the response');
    expect(error.hint).toContain('disk is full');
  });
});

describe('a 200 MB goroutine dump', () => {
  it('is streamed to disk with bounded memory', async () => {
    const chunk = Buffer.from('goroutine 1 [running]:\nmain.main()\n\t/src/main.go:1 +0x1\n\n'.repeat(1024));
    const total = 200 * 1024 * 1024;
    const expected = createHash('sha256');
    let sent = 0;
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const pump = () => {
        while (sent < total) {
          const part = chunk.subarray(0, Math.min(chunk.length, total - sent));
          sent += part.length;
          expected.update(part);
          if (!res.write(part)) return void res.once('drain', pump);
        }
        res.end();
      };
      pump();
    });
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const result = await fetchFrom(url, { debug: '2', timeoutMs: 60_000 }).finally(() => clearInterval(sampler));
    expect(result.bytes).toBe(total);
    expect((await stat(result.outputPath)).size).toBe(total);
    expect(result.sha256).toBe(expected.digest('hex'));
    expect(peak - before).toBeLessThan(100 * 1024 * 1024);
  });
});
