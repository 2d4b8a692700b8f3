import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.ts';
import { startLoad } from '../../src/demo/load.ts';
import { sleep } from './demo-helpers.ts';

// A real HTTP server on loopback: /ok answers 200, /stall never answers, anything else 404.
let server: http.Server;
let baseUrl: string;
const seen: string[] = [];
beforeAll(async () => {
  server = http.createServer((req, res) => {
    seen.push(req.url ?? '');
    if (req.url === '/stall') return; // never answer: the per-request timeout must fire
    res.statusCode = req.url === '/ok' ? 200 : 404;
    res.end('x');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('startLoad', () => {
  it('refuses hosts that are not literal loopback addresses, without leaking credentials', () => {
    for (const url of ['http://example.com', 'http://10.0.0.1:8080', 'http://localhost:8080', 'ftp://127.0.0.1/', 'not a url']) {
      expect(() => startLoad(url, { paths: ['/'], concurrency: 1 }), url).toThrow(UsageError);
    }
    let message = '';
    try {
      startLoad('http://admin:hunter2@203.0.113.5/?token=abc', { paths: ['/'], concurrency: 1 });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('refusing to generate load');
    expect(message).not.toContain('hunter2');
    expect(message).not.toContain('abc');
  });

  it('refuses paths that could leave the host, and bad concurrency', () => {
    expect(() => startLoad(baseUrl, { paths: ['//example.com/x'], concurrency: 1 })).toThrow(/absolute path/);
    expect(() => startLoad(baseUrl, { paths: ['http://example.com/'], concurrency: 1 })).toThrow(/absolute path/);
    expect(() => startLoad(baseUrl, { paths: [], concurrency: 1 })).toThrow(UsageError);
    expect(() => startLoad(baseUrl, { paths: ['/ok'], concurrency: 0 })).toThrow(/concurrency/);
    expect(() => startLoad(baseUrl, { paths: ['/ok'], concurrency: 1000 })).toThrow(/concurrency/);
  });

  it('counts 2xx as ok and other statuses as failed, per path, until stopped', async () => {
    seen.length = 0;
    const load = startLoad(baseUrl, { paths: ['/ok', '/missing'], concurrency: 3 });
    await sleep(300);
    const stats = await load.stop();
    expect(stats.byPath['/ok']!.ok).toBeGreaterThan(0);
    expect(stats.byPath['/ok']!.failed).toBe(0);
    expect(stats.byPath['/missing']!.ok).toBe(0);
    expect(stats.byPath['/missing']!.failed).toBeGreaterThan(0);
    // Let requests already written to sockets reach the server's handler.
    await sleep(50);
    const received = seen.length;
    // Every answered request is counted; the (at most one per worker) requests that
    // stop() cut short reached the server but count as neither.
    expect(stats.ok + stats.failed).toBeLessThanOrEqual(received);
    expect(stats.ok + stats.failed).toBeGreaterThanOrEqual(received - 3);
    // Nothing more is sent once stop() has resolved.
    await sleep(200);
    expect(seen.length).toBe(received);
  });

  it('times out a stalled request and counts it as failed', async () => {
    const load = startLoad(baseUrl, { paths: ['/stall'], concurrency: 1, requestTimeoutMs: 100 });
    await sleep(450);
    const stats = await load.stop();
    expect(stats.failed).toBeGreaterThanOrEqual(2);
    expect(stats.ok).toBe(0);
  });

  it('counts connection errors as failures instead of throwing', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const load = startLoad(`http://127.0.0.1:${port}`, { paths: ['/'], concurrency: 2 });
    await sleep(200);
    const stats = await load.stop();
    expect(stats.failed).toBeGreaterThan(0);
    expect(stats.ok).toBe(0);
  });

  it('stops by itself after maxDurationMs, and when its signal aborts', async () => {
    // `done` settles with nobody calling stop(): the load ended on its own deadline.
    const timed = await startLoad(baseUrl, { paths: ['/ok'], concurrency: 1, maxDurationMs: 200 }).done;
    expect(timed.ok).toBeGreaterThan(0);

    const controller = new AbortController();
    const load = startLoad(baseUrl, { paths: ['/ok'], concurrency: 2, signal: controller.signal });
    await sleep(100);
    controller.abort();
    const stats = await load.done;
    expect(stats.ok).toBeGreaterThan(0);
  });
});
