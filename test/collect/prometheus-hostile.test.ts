/**
 * What a real Prometheus cannot be made to do on demand: a login page instead of the API,
 * a proxy's 502, a stall, an endless body. A local server on 127.0.0.1 plays those parts.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrometheusQueryError } from '../../src/collect/prometheus-error.ts';
import { queryRange } from '../../src/collect/prometheus.ts';
import { InterruptedError } from '../../src/core/errors.ts';

let server: Server;
let base: string;
const seen: { path: string; authorization?: string; body: string }[] = [];

const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {
  '/login/api/v1/query_range': (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><html><title>Sign in</title><form>password: <input name=password></form></html>');
  },
  '/proxy/api/v1/query_range': (_req, res) => {
    res.writeHead(502, { 'content-type': 'text/plain' });
    res.end('Bad Gateway');
  },
  '/stall/api/v1/query_range': (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"status":"success",'); // …and nothing more
  },
  '/huge/api/v1/query_range': (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      `{"status":"success","data":{"resultType":"matrix","result":[${'{"metric":{},"values":[]},'.repeat(20_000)}{"metric":{},"values":[]}]}}`,
    );
  },
  '/ok/api/v1/query_range': (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      '{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"up"},"values":[[1700000000,"1"],[1700000015,"NaN"]]}]}}',
    );
  },
};

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ path: req.url ?? '', authorization: req.headers.authorization, body });
      (routes[(req.url ?? '').split('?')[0]!] ?? ((_q, r) => r.writeHead(404).end()))(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const request = (path: string, extra: Partial<Parameters<typeof queryRange>[0]> = {}) =>
  queryRange({
    baseUrl: `${base}${path}`,
    expr: 'sum(rate(http_requests_total[5m]))',
    start: 1_700_000_000,
    end: 1_700_001_800,
    stepSeconds: 15,
    timeoutMs: 5000,
    ...extra,
  });

async function failureOf(promise: Promise<unknown>): Promise<PrometheusQueryError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PrometheusQueryError);
  return error as PrometheusQueryError;
}

describe('queryRange against servers that are not (quite) Prometheus', () => {
  it('sends the query as a POST form with start, end, step and a server-side timeout', async () => {
    const result = await request('/ok');
    const sent = new URLSearchParams(seen.at(-1)!.body);
    expect(Object.fromEntries(sent)).toEqual({
      query: 'sum(rate(http_requests_total[5m]))',
      start: '1700000000',
      end: '1700001800',
      step: '15',
      timeout: '5s',
    });
    expect(result.series[0]!.points[1]![1]).toBeNaN();
  });

  it('moves URL credentials into a Basic auth header and keeps them out of the endpoint and errors', async () => {
    const result = await request('/ok', { baseUrl: base.replace('http://', 'http://alice:s3cr%40t@') + '/ok' });
    expect(seen.at(-1)!.authorization).toBe(`Basic ${Buffer.from('alice:s3cr@t').toString('base64')}`);
    expect(result.endpoint).not.toContain('s3cr');
    const error = await failureOf(request('/login', { baseUrl: base.replace('http://', 'http://alice:s3cr%40t@') + '/login' }));
    expect(`${error.message} ${error.hint} ${error.endpoint} ${error.argv.join(' ')}`).not.toMatch(/s3cr|alice/);
  });

  it('says a 200 HTML page is not a Prometheus answer, naming the endpoint and the query', async () => {
    const error = await failureOf(request('/login'));
    expect(error.kind).toBe('not-json');
    expect(error.message).toContain(`${base}/login/api/v1/query_range`);
    expect(error.message).toContain('"sum(rate(http_requests_total[5m]))"');
    expect(error.message).toMatch(/text\/html.*not JSON/);
    expect(error.hint).toMatch(/login page/);
  });

  it("reports a proxy's 502 with its status", async () => {
    const error = await failureOf(request('/proxy'));
    expect(error.kind).toBe('http');
    expect(error.status).toBe(502);
    expect(error.message).toMatch(/HTTP 502/);
    expect(error.retryable).toBe(true);
  });

  it('gives up on a stalled answer at the deadline, naming the query', async () => {
    const error = await failureOf(request('/stall', { timeoutMs: 300 }));
    expect(error.kind).toBe('timeout');
    expect(error.message).toMatch(/did not answer within 300 ms \(query "sum\(rate/);
  });

  it('refuses an answer larger than the cap instead of holding it in memory', async () => {
    const error = await failureOf(request('/huge', { maxBytes: 64 * 1024 }));
    expect(error.kind).toBe('too-large');
    expect(error.hint).toMatch(/aggregate/);
  });

  it('stops at once when cancelled, as an interruption rather than a query failure', async () => {
    const controller = new AbortController();
    const pending = request('/stall', { signal: controller.signal, timeoutMs: 60_000 });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toBeInstanceOf(InterruptedError);
  });
});
