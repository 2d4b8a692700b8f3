/**
 * Metrics end to end with the real pieces: the demo service (built from
 * examples/demo-service) serving /metrics, a real Prometheus (Debian package) scraping it
 * every second on loopback, then queryRange and the metrics action against that Prometheus,
 * with a real store. Load on /export makes the goroutine leak show in go_goroutines.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricFindings } from '../../src/analyze/metric-findings.ts';
import { PrometheusQueryError } from '../../src/collect/prometheus-error.ts';
import { queryRange } from '../../src/collect/prometheus.ts';
import { startLoad } from '../../src/demo/load.ts';
import { buildService, startService, type RunningService } from '../../src/demo/service.ts';
import { runMetricsAction } from '../../src/engine/actions/metrics-action.ts';
import type { StepEnv } from '../../src/engine/types.ts';
import { MediaType } from '../../src/core/model.ts';
import { metricsActionSchema } from '../../src/playbook/schema.ts';
import { openStore } from '../../src/store/open.ts';
import { eventMessage } from '../../src/store/timeline-event.ts';
import type { Store } from '../../src/store/store.ts';
import { findAll, parseXml, textOf } from '../report/xml-parse.ts';
import { demoServiceDir } from '../helpers/demo-service.ts';
import { freePort, startPrometheus, waitForSamples, type RunningPrometheus } from '../helpers/prometheus.ts';
import { hasTool } from '../helpers/tools.ts';
import { makeStepEnv } from '../helpers/step-env.ts';

const havePrometheus = hasTool('prometheus', ['--version']);

describe.skipIf(!havePrometheus)('metrics from a real Prometheus scraping the demo service', () => {
  let dir: string;
  let service: RunningService;
  let prometheus: RunningPrometheus;
  let store: Store;
  let windowStart: number;
  let windowEnd: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gotriage-prom-live-'));
    service = await startService(await buildService(demoServiceDir, { outputPath: join(dir, 'demo-service') }));
    prometheus = await startPrometheus({ scrapeTargets: [new URL(service.url).host], scrapeInterval: '1s' });
    windowStart = Math.floor(Date.now() / 1000);
    await waitForSamples(prometheus.url, 'go_goroutines', 3); // an idle baseline first
    const load = startLoad(service.url, { paths: ['/export', '/hit'], concurrency: 3 });
    await waitForSamples(prometheus.url, 'go_goroutines', 9); // then the leak, for a few scrapes
    await load.stop();
    windowEnd = Math.ceil(Date.now() / 1000);
    store = openStore({ path: join(dir, 'gotriage.db') });
  });
  afterAll(async () => {
    await store?.close();
    await prometheus?.stop();
    await service?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function makeEnv(params: Record<string, string>): Promise<StepEnv> {
    return await makeStepEnv(store, dir, { params, runner: undefined as never, title: 'goroutines climbing' });
  }

  it('serves /metrics that promtool accepts, with the runtime gauges and the request counter', async () => {
    const text = await (await fetch(`${service.url}/metrics`)).text();
    await execa('promtool', ['check', 'metrics'], { input: text }); // rejects on a lint error
    expect(text).toMatch(/^go_goroutines \d+$/m);
    expect(text).toMatch(/^go_memstats_heap_alloc_bytes [\d.e+]+$/m);
    expect(text).toMatch(/^process_cpu_seconds_total [\d.e+-]+$/m);
    expect(text).toMatch(/^demo_http_requests_total\{path="\/export",code="200"\} [1-9]\d*$/m);
  });

  it('queryRange returns the go_goroutines series climbing under the leak', async () => {
    const result = await queryRange({
      baseUrl: prometheus.url,
      expr: 'go_goroutines{job="demo"}',
      start: windowStart,
      end: windowEnd,
      stepSeconds: 1,
      timeoutMs: 10_000,
    });
    expect(result.series).toHaveLength(1);
    const values = result.series[0]!.points.map(([, v]) => v);
    expect(values.length).toBeGreaterThanOrEqual(8);
    expect(values.at(-1)!).toBeGreaterThan(10 * values[0]!);
  });

  it('runs the metrics action: a JSON matrix and a chart per query, failures recorded, goroutines flagged', async () => {
    const env = await makeEnv({
      prometheusUrl: prometheus.url,
      job: 'demo',
      'window.start': new Date(windowStart * 1000).toISOString(),
      'window.end': String(windowEnd),
      'alert.expr': 'go_goroutines > 100',
    });
    const stepRun = await store.startStep(env.incident.id, 'gather');
    const action = metricsActionSchema.parse({
      id: 'metrics',
      kind: 'metrics',
      prometheus: '{{prometheusUrl}}',
      step: '1s',
      queries: [
        { name: 'goroutines', expr: 'go_goroutines{job="{{job}}"}' },
        { name: 'heap', expr: 'go_memstats_heap_alloc_bytes', unit: 'bytes' },
        { name: 'broken', expr: 'rate(go_goroutines[5m' },
        { name: 'hostile', expr: 'label_replace(go_goroutines, "pod", "</text><script>alert(1)</script>", "", "")' },
      ],
    });
    const outcome = await runMetricsAction(env, stepRun.id, action, 'r1');

    expect(outcome.failures).toBe(1);
    const failed = outcome.events.filter((e) => e.kind === 'action-failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]!.reason).toMatch(/broken: .*bad_data.*"rate\(go_goroutines\[5m"/);

    const stored = await store.artifacts(env.incident.id);
    const byLabel = (label: string) => stored.find((a) => a.label === label);
    for (const name of ['goroutines', 'heap', 'hostile', 'alert-expr']) {
      const matrix = stored.find((a) => a.mediaType === MediaType.promMatrix(name));
      expect(matrix, name).toBeDefined();
      const data = JSON.parse(readFileSync(matrix!.path, 'utf8'));
      expect(data.resultType).toBe('matrix');
      expect(data.result.length).toBeGreaterThan(0);
      const chart = byLabel(`chart: ${name}`);
      expect(chart?.mediaType).toBe(MediaType.svg);
      const svg = parseXml(readFileSync(chart!.path, 'utf8'));
      const groups = findAll(svg, 'g').filter((g) => g.attrs.class === 'series');
      expect(groups).toHaveLength(data.result.length);
      for (const g of groups) expect(findAll(g, 'polyline').length).toBeGreaterThanOrEqual(1);
    }
    expect(stored.some((a) => a.mediaType === MediaType.promMatrix('broken'))).toBe(false);

    // The label value from Prometheus shows as text in the legend and never as markup.
    const hostile = parseXml(readFileSync(byLabel('chart: hostile')!.path, 'utf8'));
    expect(findAll(hostile, 'script')).toHaveLength(0);
    expect(findAll(hostile, 'text').map(textOf).join('\n')).toContain('pod="</text><script>alert(1)</script>"');

    const findings = await metricFindings(stored);
    const goroutines = findings.find((f) => f.kind === 'metric-change' && f.title.startsWith('go_goroutines{instance='));
    expect(goroutines, JSON.stringify(findings.map((f) => f.title))).toBeDefined();
    expect(goroutines!.title).toMatch(/ rose \d+ → [\d,]+ \(×\d+\) in the window$/);
    expect(goroutines!.metrics.ratio).toBeGreaterThanOrEqual(2);
  });

  it('keeps a hostile alert label inside its string: it cannot turn the query into another one', async () => {
    const env = await makeEnv({
      prometheusUrl: prometheus.url,
      job: 'nope"} or vector(42) #',
      'window.start': String(windowStart),
      'window.end': String(windowEnd),
    });
    const stepRun = await store.startStep(env.incident.id, 'gather');
    const action = metricsActionSchema.parse({
      id: 'metrics',
      kind: 'metrics',
      prometheus: '{{prometheusUrl}}',
      step: '1s',
      queries: [{ name: 'byjob', expr: 'go_goroutines{job="{{job}}"}' }],
    });
    const outcome = await runMetricsAction(env, stepRun.id, action, 'r1');
    expect(outcome.failures).toBe(0);
    const matrix = (await store.artifacts(env.incident.id)).find((a) => a.mediaType === MediaType.promMatrix('byjob'))!;
    expect(JSON.parse(readFileSync(matrix.path, 'utf8')).result).toEqual([]); // not vector(42)
    expect(outcome.events.map(eventMessage).join('\n')).toMatch(/no series matched/);
  });

  it('says which query Prometheus refused, and why', async () => {
    const error = await queryRange({
      baseUrl: prometheus.url,
      expr: 'sum by (job (go_goroutines)',
      start: windowStart,
      end: windowEnd,
      stepSeconds: 1,
      timeoutMs: 10_000,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PrometheusQueryError);
    const e = error as PrometheusQueryError;
    expect(e.kind).toBe('query');
    expect(e.errorType).toBe('bad_data');
    expect(e.message).toContain('"sum by (job (go_goroutines)"');
    expect(e.message).toContain(`${prometheus.url}/api/v1/query_range`);
    expect(e.hint).toMatch(/PromQL/);
  });

  it('widens the step for a long window, which Prometheus then accepts; unwidened it refuses', async () => {
    const week = { start: windowEnd - 7 * 86400, end: windowEnd };
    const ok = await queryRange({ baseUrl: prometheus.url, expr: 'go_goroutines', ...week, stepSeconds: 15, timeoutMs: 10_000 });
    expect(ok.stepWidened).toBe(true);
    expect(ok.stepSeconds).toBe(55);
    const refused = await queryRange({
      baseUrl: prometheus.url,
      expr: 'go_goroutines',
      ...week,
      stepSeconds: 15,
      timeoutMs: 10_000,
      maxPoints: 1_000_000,
    }).catch((e: unknown) => e);
    expect((refused as PrometheusQueryError).message).toMatch(/exceeded maximum resolution of 11,000 points/);
  });

  it('reports a Prometheus that is down as a refused connection, and the action goes on', async () => {
    const down = `http://127.0.0.1:${await freePort()}`;
    const error = await queryRange({
      baseUrl: down,
      expr: 'up',
      start: windowStart,
      end: windowEnd,
      stepSeconds: 1,
      timeoutMs: 5000,
    }).catch((e: unknown) => e);
    expect((error as PrometheusQueryError).kind).toBe('refused');
    expect((error as Error).message).toBe(`cannot reach Prometheus: connection refused (query "up" at ${down}/api/v1/query_range)`);

    const env = await makeEnv({ prometheusUrl: down, 'alert.expr': 'up == 0' });
    const stepRun = await store.startStep(env.incident.id, 'gather');
    const action = metricsActionSchema.parse({
      id: 'metrics',
      kind: 'metrics',
      prometheus: '{{prometheusUrl}}',
      queries: [{ name: 'up', expr: 'up' }],
    });
    const outcome = await runMetricsAction(env, stepRun.id, action, 'r1');
    expect(outcome.failures).toBe(2); // the playbook query and the alert's expression, each recorded
    expect(outcome.events.filter((e) => e.kind === 'action-failed').map(eventMessage)).toEqual([
      expect.stringMatching(/^metrics: up: cannot reach Prometheus: connection refused/),
      expect.stringMatching(/^metrics: alert-expr: cannot reach Prometheus: connection refused \(query "up == 0"/),
    ]);
  });
});
