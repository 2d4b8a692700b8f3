/**
 * The sample incident (sample-incident.ts) plus what issue 3's collectors add: two targets (one
 * with credentials in its URL), the alert window, logs with error groups and a panic (the real
 * Go traceback captured in test/fixtures/captured), Prometheus query results with their charts
 * (a real SVG drawn by `go tool pprof -svg`, see fixtures/README.md) and metric changes, a call
 * graph picture (SVG) and a PNG, benchmarks, a target that refused connections, a skipped
 * action and a profile the service does not serve — each action's outcome as the collection
 * record it writes. `extra` is appended to every free-text field, as in sampleIncident.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FindingKind, Severity } from '../../src/core/model.ts';
import type { ArtifactAttributes, CollectionRecord, StoredArtifact, StoredFinding } from '../../src/store/store.ts';
import { at, FIXTURES, sampleIncident, type IncidentRecords, type SampleOptions } from './sample-incident.ts';

/** The credentials in the first target's URL: they must appear nowhere in a report. */
export const TARGET_SECRETS = ['hunter2', 's3cr3t-token'];
export const TARGETS = ['http://admin:hunter2@127.0.0.1:6060/?token=s3cr3t-token', 'http://127.0.0.1:6061'];
/** The first target as the report may show it. */
export const SHOWN_TARGETS = ['http://***@127.0.0.1:6060/?token=***', 'http://127.0.0.1:6061'];

export const WINDOW = { start: at(-30), end: at(10) };

/** A real SVG (a pprof call graph drawn by graphviz) and a real PNG (graphviz). */
export const SVG_FIXTURE = join(FIXTURES, 'callgraph-cpu-burner-go1.26.8.svg');
export const PNG_FIXTURE = join(FIXTURES, 'steps-graphviz2.43.png');

/** The traceback a `panic` finding carries: Go's own output, captured with each version. */
export function panicTraceback(goVersion: string): string {
  return readFileSync(new URL(`../fixtures/captured/panic-traceback.go${goVersion}.txt`, import.meta.url), 'utf8');
}

export interface GatheredOptions extends SampleOptions {
  /** Label of the goroutines chart; default `chart: goroutines` + extra. */
  chartLabel?: string;
  /** Template of the first log error group; default `upstream timeout after <duration>` + extra. */
  logTemplate?: string;
}

export function gatheredIncident(options: GatheredOptions): IncidentRecords {
  const x = options.extra ?? '';
  const records = sampleIncident(options);
  const goVersion = options.goVersion ?? '1.26.8';
  let nextArtifact = Math.max(...records.artifacts.map((a) => a.id)) + 1;
  let nextFinding = Math.max(...records.findings.map((f) => f.id)) + 1;

  const artifact = (
    stepRunId: number,
    actionId: string,
    label: string,
    mediaType: string,
    content: string | Buffer,
    attributes: ArtifactAttributes = {},
  ): StoredArtifact => {
    const id = nextArtifact++;
    const path = join(options.artifactDir, `${id}.bin`);
    writeFileSync(path, content);
    const stored: StoredArtifact = {
      id,
      stepRunId,
      actionId,
      label,
      mediaType,
      path,
      size: Buffer.byteLength(content),
      attributes,
      createdAt: at(5),
      sha256: createHash('sha256').update(content).digest('hex'),
    };
    records.artifacts.push(stored);
    return stored;
  };
  const finding = (
    stepRunId: number,
    kind: FindingKind,
    severity: Severity,
    title: string,
    metrics: Record<string, number>,
    extra: Partial<StoredFinding> = {},
  ) => {
    records.findings.push({ id: nextFinding++, stepRunId, createdAt: at(11), kind, severity, title, metrics, artifactIds: [], ...extra });
  };

  records.incident.params = {
    ...records.incident.params,
    targets: TARGETS.join('\n'),
    target: TARGETS[0]!,
    'window.start': WINDOW.start,
    'window.end': WINDOW.end,
  };

  // gather (step run 2): a heap profile from the first target; the second target refused connections.
  const collections: CollectionRecord[] = [];
  const collected = (
    actionId: string,
    target: string | null,
    status: CollectionRecord['status'],
    reason: string | null,
    kept: StoredArtifact[],
  ) =>
    collections.push({
      id: collections.length + 1,
      stepRunId: 2,
      actionId,
      target,
      status,
      reason,
      artifactIds: kept.map((a) => a.id),
      bytes: kept.reduce((sum, a) => sum + a.size, 0),
      startedAt: at(3),
      finishedAt: at(4),
    });
  const heap = artifact(
    2,
    'heap',
    `heap from ${SHOWN_TARGETS[0]}${x}`,
    'application/vnd.google.pprof+gzip; kind=heap',
    'heap profile bytes',
    {
      target: SHOWN_TARGETS[0],
      profile: 'heap',
      sample: 1,
      samples: 1,
    },
  );
  collected('heap', SHOWN_TARGETS[0]!, 'ok', null, [heap]);
  collected('heap', SHOWN_TARGETS[1]!, 'failed', `skipped: connection refused earlier${x}`, []);
  // As the pprof action records a failure: an event, a finding and the target's collection record.
  const refused = `GET ${TARGETS[1]}/debug/pprof/goroutine?debug=2: connect ECONNREFUSED 127.0.0.1:6061`;
  records.timeline.push({
    at: at(4),
    step: 'gather',
    kind: 'action-failed',
    action: 'goroutines',
    target: SHOWN_TARGETS[1],
    reason: `${refused}${x}`,
  });
  finding(
    2,
    'collection-failure',
    'medium',
    `could not collect ${TARGETS[1]}/debug/pprof/goroutine?debug=2: connection refused${x}`,
    { failed: 2, attempted: 2 },
    { detail: `${refused}${x}` },
  );
  collected(
    'goroutines',
    SHOWN_TARGETS[0]!,
    'ok',
    null,
    records.artifacts.filter((a) => a.actionId === 'goroutines'),
  );
  collected('goroutines', SHOWN_TARGETS[1]!, 'failed', `connection refused${x}`, []);
  // The goroutineleak profile exists only on newer Go: a 404 is "not served", not a failure.
  const notServed = `goroutineleak debug=2 is not served by this service (Go 1.27+, or 1.26 with GOEXPERIMENT=goroutineleakprofile)${x}`;
  records.timeline.push({
    at: at(4),
    step: 'gather',
    kind: 'action-skipped',
    action: 'leaked',
    target: SHOWN_TARGETS[0],
    reason: notServed,
  });
  collected('leaked', SHOWN_TARGETS[0]!, 'not-served', notServed, []);
  const needs = `it needs traceWindow (set with --param, or from the alert)${x}`;
  records.timeline.push({ at: at(4), step: 'gather', kind: 'action-skipped', action: 'traces', reason: needs });
  collected('traces', null, 'skipped', needs, []);

  // Logs: one file, two error groups, one panic with the real traceback.
  const log = artifact(
    2,
    'app-logs',
    `log file /var/log/exporter/app.log${x}`,
    'text/x-log; format=slog-json',
    '{"level":"ERROR","msg":"upstream timeout after 31ms"}\n',
    { logSource: '/var/log/exporter/app.log', linesRead: 1, linesKept: 1, format: 'slog-json' },
  );
  collected('app-logs', null, 'ok', null, [log]);
  const firstSeenMs = Date.parse(at(-12));
  // As src/analyze/log-findings.ts writes them: `<count>× <level>: <template>`, the template on the detail's first line.
  const logErrors = (severity: Severity, template: string, count: number, first: number, last: number) =>
    finding(
      3,
      'log-errors',
      severity,
      `${count}× ERROR: ${template}`,
      { count, firstSeenMs: first, lastSeenMs: last },
      {
        detail: `template: ${template}\nlevel: ERROR\ncount: ${count}\nexamples:\n  {"level":"ERROR","msg":"upstream timeout after 31ms"}`,
        artifactIds: [log.id],
      },
    );
  logErrors('high', options.logTemplate ?? `upstream timeout after <duration>${x}`, 42, firstSeenMs, Date.parse(at(4, 30)));
  logErrors('low', `cache miss for key <quoted>${x}`, 3, firstSeenMs + 61_000, firstSeenMs + 62_000);
  finding(
    3,
    'panic',
    'critical',
    `panic: runtime error: invalid memory address or nil pointer dereference${x}`,
    {},
    {
      location: { func: 'main.deref', file: 'main.go', line: 15 },
      detail: panicTraceback(goVersion) + x,
      artifactIds: [log.id],
    },
  );

  // Metrics: goroutines (with a change) and heap (without), each a query result and its chart.
  // Metrics: as the metrics action keeps them, each query result and its chart carry the query.
  const query = (name: string) => ({ query: { name, expr: `go_${name}{job="exporter"}` } });
  const matrix = (name: string) =>
    artifact(
      2,
      'prom',
      `query ${name}${x}`,
      `application/vnd.prometheus.matrix+json; name=${name}`,
      '{"resultType":"matrix","result":[]}',
      query(name),
    );
  const chart = (name: string, label: string) => artifact(2, 'prom', label, 'image/svg+xml', svg, { ...query(name), role: 'chart' });
  const svg = readFileSync(SVG_FIXTURE);
  const goroutines = matrix('goroutines');
  const prom = [
    goroutines,
    chart('goroutines', options.chartLabel ?? `chart: goroutines${x}`),
    matrix('heap'),
    chart('heap', `chart: heap${x}`),
  ];
  collected('prom', null, 'ok', null, prom);
  finding(
    3,
    'metric-change',
    'high',
    `go_goroutines{instance="127.0.0.1:6060"} rose 12 → 1,840 (×153) in the window${x}`,
    { first: 12, last: 1840, ratio: 153.33 },
    { artifactIds: [goroutines.id] },
  );
  finding(3, 'metric-change', 'low', `process_resident_memory_bytes fell 2.1e8 → 9.8e7 in the window${x}`, { first: 2.1e8, last: 9.8e7 });

  // Pictures that are not charts: a call graph (SVG) and a PNG, from the analyze step.
  artifact(3, 'callgraph', `call graph: cpu from ${SHOWN_TARGETS[0]}${x}`, 'image/svg+xml', svg);
  artifact(3, 'steps-graph', `steps${x}`, 'image/png', readFileSync(PNG_FIXTURE));

  // Benchmarks.
  const bench = artifact(
    2,
    'bench',
    `go test -bench . stdout${x}`,
    'text/x-go-bench',
    'BenchmarkSlowChecksum-2   100   2105311 ns/op   1024 B/op   3 allocs/op\n',
    { stream: 'stdout', bench: '.', packages: ['.'] },
  );
  collected('bench', null, 'ok', null, [bench]);
  // The timed-out CPU profile of the sample incident, on the first of these targets.
  const cpu = records.collections.find((c) => c.actionId === 'cpu-profile')!;
  collected('cpu-profile', SHOWN_TARGETS[0]!, cpu.status, cpu.reason, []);
  records.collections = collections;
  // As src/analyze/bench-findings.ts writes them: the name as printed opens the title; the function is package-qualified.
  const benchmark = (name: string, metrics: Record<string, number>) =>
    finding(3, 'benchmark', 'info', `${name}: ${metrics.nsPerOp} ns/op, ${metrics.bytesPerOp} B/op${x}`, metrics, {
      location: { func: `example.com/exporter.${name.split('/')[0]!.replace(/-\d+$/, '')}` },
      artifactIds: [bench.id],
    });
  benchmark('BenchmarkSlowChecksum-2', { nsPerOp: 2105311, bytesPerOp: 1024, allocsPerOp: 3, runs: 1 });
  benchmark('BenchmarkRenderExport/rows=10-2', { nsPerOp: 812.5, bytesPerOp: 0, allocsPerOp: 0, runs: 3 });
  return records;
}
