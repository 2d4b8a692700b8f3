/**
 * Hostile target and Prometheus URLs against a real local server that records every
 * request: each refused value gives a message naming what is wrong and the host it would
 * have contacted, and nothing reaches the server — through `gotriage collect`, through a
 * session's --target, through the fan-out itself (a target that skipped the CLI) and
 * through a Prometheus URL filled from a placeholder. The values that are fine reach the
 * host they show.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { targetsFromFlags } from '../../src/cli/collect-options.ts';
import { collectCommand } from '../../src/cli/commands/collect.ts';
import { reportError } from '../../src/cli/report-error.ts';
import { parseOutgoingUrl } from '../../src/collect/outgoing-url.ts';
import { createProgress } from '../../src/collect/progress.ts';
import { runMetricsAction } from '../../src/engine/actions/metrics-action.ts';
import { runPprofAction } from '../../src/engine/actions/pprof-action.ts';
import { metricsActionSchema } from '../../src/playbook/schema.ts';
import { makeStepEnv } from '../helpers/step-env.ts';
import { usageError } from '../helpers/errors.ts';
import { eventMessage } from '../../src/store/timeline-event.ts';
import {
  captureStream,
  makeGatherEnv,
  openTempStore,
  pprofAction,
  startNodeServer,
  type NodeServer,
  type TestStore,
} from './fanout-helpers.ts';

const HEAP = readFileSync(resolve(import.meta.dirname, '../fixtures/pprof-http/go1.26/heap.pb.gz'));
const MATRIX = '{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"up"},"values":[[1700000000,"1"]]}]}}';
const PASSWORD = 'hunter2-pw';

let server: NodeServer;
let hostPort: string;
let testStore: TestStore;
const seen: { url: string; authorization?: string }[] = [];

beforeAll(async () => {
  server = await startNodeServer((req, res) => {
    seen.push({ url: req.url ?? '', authorization: req.headers.authorization });
    req.resume();
    if (req.url?.includes('/api/v1/query_range')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(MATRIX);
    } else {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.end(HEAP);
    }
  });
  hostPort = server.url.replace('http://', '');
  testStore = openTempStore('gotriage-outgoing-url-');
});
afterAll(async () => {
  await server.close();
  await testStore.cleanup();
});

/** Each hostile target (built from the server's host:port) and what the refusal must say. */
const HOSTILE: [string, (hp: string, port: string) => string, (hp: string) => RegExp][] = [
  ['a #@ fragment', (hp) => `http://${hp}#@svc.internal`, (hp) => new RegExp(`#fragment, which is never sent: it would contact ${hp}$`)],
  [
    'a backslash before @',
    (hp) => `http://${hp}\\@svc.internal`,
    (hp) => new RegExp(`backslash, which URL parsing reads as "/": it would contact ${hp}$`),
  ],
  [
    'an @ in the path',
    (hp) => `http://${hp}/@svc.internal`,
    (hp) => new RegExp(`an @ after its host \\(in the path or query\\): it would contact ${hp}$`),
  ],
  [
    'a tab in the host',
    (_hp, port) => `http://127.0.0.\t1:${port}`,
    (hp) => new RegExp(`control character \\(\\\\x09 at offset 15\\).*: it would contact ${hp}$`),
  ],
  [
    'a newline in the host',
    (_hp, port) => `http://127.0.\n0.1:${port}`,
    (hp) => new RegExp(`control character \\(\\\\x0a at offset 13\\).*: it would contact ${hp}$`),
  ],
  ['http: without //', (hp) => `http:${hp}`, (hp) => new RegExp(`"http:" must be followed by //: it would contact ${hp}$`)],
  ['three slashes', (hp) => `http:///${hp}`, (hp) => new RegExp(`the URL has no host: it would contact ${hp}$`)],
  [
    'a fullwidth IP address',
    (_hp, port) => `http://１２７.０.０.１:${port}`,
    (hp) => new RegExp(`host is not plain ASCII \\(\\\\u\\{ff11\\}.*\\): it would contact ${hp}$`),
  ],
  [
    'an IDN that maps to localhost',
    (_hp, port) => `http://ⓛocalhost:${port}`,
    () => /host is not plain ASCII \(\\u\{24db\}ocalhost\): it would contact localhost:\d+$/,
  ],
  [
    'a percent-encoded host',
    (_hp, port) => `http://%31%32%37.0.0.1:${port}`,
    (hp) => new RegExp(`host is percent-encoded: it would contact ${hp}$`),
  ],
  [
    'a shortened IPv4 address',
    (_hp, port) => `http://127.1:${port}`,
    () => /host as written \(127\.1\) is not the host it would contact \(127\.0\.0\.1\)$/,
  ],
  [
    'a hexadecimal IPv4 address',
    (_hp, port) => `http://0x7f000001:${port}`,
    () => /host as written \(0x7f000001\) is not the host it would contact \(127\.0\.0\.1\)$/,
  ],
  ['an IPv6 zone', (_hp, port) => `http://[::1%25lo]:${port}`, () => /an IPv6 zone \(%eth0\) cannot be given in a URL$/],
  [
    'credentials that are not percent-encoding',
    (hp) => `http://oncall:${PASSWORD}%ZZ@${hp}`,
    () => /credentials in the URL are not valid percent-encoding$/,
  ],
  [
    'a colon in the user name',
    (hp) => `http://on%3Acall:${PASSWORD}@${hp}`,
    () => /user name in the URL contains a colon, which HTTP basic auth \(RFC 7617\) cannot carry$/,
  ],
  ['an empty user:password@', (hp) => `http://@${hp}`, () => /has an @ but no user name or password before it$/],
  [
    'a password in clear text to another machine',
    (_hp, port) => `http://oncall:${PASSWORD}@10.0.0.7:${port}`,
    () => /would send its credentials in clear text to 10\.0\.0\.7:\d+ over http:\/\/$/,
  ],
  ['another scheme', (hp) => `file://${hp}/etc/passwd`, () => /must be http:\/\/ or https:\/\/, got file:\/\//],
];

async function collect(opts: Record<string, unknown>): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (c) => (stdout += c));
  err.on('data', (c) => (stderr += c));
  let code: number;
  try {
    code = await collectCommand(opts, { stdout: out, stderr: err });
  } catch (error) {
    code = reportError(error, err);
  }
  return { code, stdout, stderr };
}

describe.each(HOSTILE)('a target with %s', (_what, build, message) => {
  const target = () => build(hostPort, hostPort.split(':')[1]!);

  it('is refused by gotriage collect with exit 2, and nothing is contacted', async () => {
    const before = seen.length;
    const outDir = join(testStore.dir, `collect-${Math.random().toString(36).slice(2)}`);
    const { code, stdout, stderr } = await collect({ target: [target()], profiles: 'heap', out: outDir });
    expect(code).toBe(2);
    expect(stderr).toMatch(/^error: --target: /);
    expect(stderr.split('\n')[0]).toMatch(message(hostPort));
    expect(stderr).not.toContain(PASSWORD);
    expect(stdout).toBe('');
    expect(existsSync(outDir)).toBe(false);
    expect(seen.length).toBe(before);
  });

  it('is refused as a session --target before a session starts', () => {
    const error = usageError(() => targetsFromFlags({ target: [target()] }));
    expect(error.message).toMatch(/^--target: /);
    expect(error.message).toMatch(message(hostPort));
    expect(`${error.message} ${error.hint ?? ''}`).not.toContain(PASSWORD);
  });

  it('fails its requests in the fan-out without contacting anything, if it got that far', async () => {
    const before = seen.length;
    const env = await makeGatherEnv(testStore, [target()]);
    const outcome = await runPprofAction(env, env.stepRunId, pprofAction({ id: 'heap', profile: 'heap', timeout: '5s' }), 'gather1');
    expect(outcome.artifacts).toEqual([]);
    expect(outcome.findings).toHaveLength(1);
    expect(outcome.findings![0]!.detail).toMatch(/^pprof target: /);
    expect(outcome.findings![0]!.detail!.split('\n')[0]).toMatch(message(hostPort));
    expect(JSON.stringify(outcome)).not.toContain(PASSWORD);
    expect(seen.length).toBe(before);
  });
});

describe('targets that are fine', () => {
  it('are taken as written where the spelling cannot mislead', () => {
    // https carries credentials to any host; an IPv6 literal is one address however written; ASCII (punycode) IDNs stand as typed.
    const https = parseOutgoingUrl(`https://oncall:${PASSWORD}@10.0.0.7:6060`, '--target');
    expect([https.host, https.url.href, https.authorization]).toEqual([
      '10.0.0.7:6060',
      'https://10.0.0.7:6060/',
      `Basic ${Buffer.from(`oncall:${PASSWORD}`).toString('base64')}`,
    ]);
    expect(parseOutgoingUrl('http://[0:0::1]:6060', '--target').host).toBe('[::1]:6060');
    expect(parseOutgoingUrl('http://xn--80ak6aa92e.example:6060', '--target').host).toBe('xn--80ak6aa92e.example:6060');
    expect(parseOutgoingUrl('HTTP://Svc.Internal:6060/base', '--target').url.href).toBe('http://svc.internal:6060/base');
  });

  it('reach the host they show, with an @ inside the password sent as written', async () => {
    const before = seen.length;
    const stream = captureStream(false);
    const target = `HTTP://oncall:p@ss-${PASSWORD}@${hostPort}`;
    expect(targetsFromFlags({ target: [target] })).toEqual([target]);
    const env = await makeGatherEnv(testStore, [target], { progress: createProgress({ stream }) });
    const outcome = await runPprofAction(env, env.stepRunId, pprofAction({ id: 'heap', profile: 'heap', timeout: '5s' }), 'gather1');
    expect(outcome.findings).toEqual([]);
    expect(seen.slice(before)).toEqual([
      { url: '/debug/pprof/heap', authorization: `Basic ${Buffer.from(`oncall:p@ss-${PASSWORD}`).toString('base64')}` },
    ]);
    // Progress names the host that was contacted, never the credentials.
    expect(stream.text()).toMatch(new RegExp(`^started heap ${hostPort}\\ndone heap ${hostPort}: `));
    expect(stream.text()).not.toContain(PASSWORD);
  });
});

describe('a Prometheus URL filled from a placeholder', () => {
  const HOSTILE_HOSTS: [string, (hp: string) => string, (hp: string) => RegExp][] = [
    ['a # in the value', (hp) => `${hp}#`, (hp) => new RegExp(`#fragment, which is never sent: it would contact ${hp}`)],
    [
      'a backslash and @',
      (hp) => `${hp}\\@prometheus.internal`,
      (hp) => new RegExp(`backslash, which URL parsing reads as "/": it would contact ${hp}`),
    ],
    [
      'an @ after the host',
      (hp) => `${hp}/@prometheus.internal`,
      (hp) => new RegExp(`an @ after its host \\(in the path or query\\): it would contact ${hp}`),
    ],
    [
      'a percent-encoded host',
      (hp) => `%31%32%37.0.0.1:${hp.split(':')[1]}`,
      (hp) => new RegExp(`host is percent-encoded: it would contact ${hp}`),
    ],
    [
      'a fullwidth IP address',
      (hp) => `１２７.０.０.１:${hp.split(':')[1]}`,
      (hp) => new RegExp(`host is not plain ASCII .*: it would contact ${hp}`),
    ],
    [
      'a shortened IPv4 address',
      (hp) => `127.1:${hp.split(':')[1]}`,
      () => /host as written \(127\.1\) is not the host it would contact \(127\.0\.0\.1\)/,
    ],
    [
      'credentials for another machine',
      (hp) => `prom:${PASSWORD}@10.0.0.9:${hp.split(':')[1]}`,
      () => /credentials in clear text to 10\.0\.0\.9:\d+ over http:\/\//,
    ],
  ];
  const action = metricsActionSchema.parse({
    id: 'metrics',
    kind: 'metrics',
    prometheus: 'http://{{promHost}}/prom',
    step: '15s',
    alertExpr: false,
    queries: [
      { name: 'up', expr: 'up' },
      { name: 'goroutines', expr: 'go_goroutines' },
    ],
  });
  const window = { 'window.start': '1700000000', 'window.end': '1700000600' };

  it.each(HOSTILE_HOSTS)(
    'with %s fails the action once, naming the host it would contact, and sends no query',
    async (_what, host, message) => {
      const before = seen.length;
      const env = await makeStepEnv(testStore.store, testStore.dir, {
        params: { promHost: host(hostPort), ...window },
        runner: undefined as never,
      });
      const stepRun = await testStore.store.startStep(env.incident.id, 'gather');
      const outcome = await runMetricsAction(env, stepRun.id, action, 'gather1');
      expect(outcome.failures).toBe(1);
      expect(outcome.artifacts).toEqual([]);
      expect(outcome.events.map((e) => e.kind)).toEqual(['action-failed']);
      expect(eventMessage(outcome.events[0]!)).toMatch(/^metrics: metrics not collected: action metrics: prometheus: /);
      expect(eventMessage(outcome.events[0]!)).toMatch(message(hostPort));
      expect(await testStore.store.collections(env.incident.id)).toEqual([
        expect.objectContaining({ actionId: 'metrics', status: 'failed', reason: expect.stringMatching(/^metrics not collected: /) }),
      ]);
      expect(JSON.stringify(outcome) + env.log.lines.join('\n')).not.toContain(PASSWORD);
      expect(seen.length).toBe(before);
    },
  );

  it('that is fine queries the host it shows, and the log says which', async () => {
    const before = seen.length;
    const env = await makeStepEnv(testStore.store, testStore.dir, {
      params: { promHost: hostPort, ...window },
      runner: undefined as never,
    });
    const stepRun = await testStore.store.startStep(env.incident.id, 'gather');
    const outcome = await runMetricsAction(env, stepRun.id, action, 'gather1');
    expect(outcome.failures).toBe(0);
    expect(seen.slice(before).map((r) => r.url)).toEqual(['/prom/api/v1/query_range', '/prom/api/v1/query_range']);
    expect(env.log.lines.filter((l) => l.includes('querying Prometheus'))).toEqual([
      expect.stringContaining(`querying Prometheus at ${hostPort}: up = `),
      expect.stringContaining(`querying Prometheus at ${hostPort}: goroutines = `),
    ]);
  });
});
