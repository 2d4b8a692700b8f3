/**
 * The sample incident (sample-incident.ts) plus what issue 3's collectors add: two targets (one
 * with credentials in its URL), the alert window, logs with error groups and a panic (the real
 * Go traceback captured in test/fixtures/captured), Prometheus query results with their charts
 * (a real SVG drawn by `go tool pprof -svg`, see fixtures/README.md) and metric changes, a call
 * graph picture (SVG) and a PNG, benchmarks, a target that refused connections and a skipped
 * action. `extra` is appended to every free-text field, as in sampleIncident.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FindingKind, Severity } from '../../src/core/model.ts';
import type { StoredArtifact, StoredFinding } from '../../src/store/store.ts';
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

  const artifact = (stepRunId: number, actionId: string, label: string, mediaType: string, content: string | Buffer): StoredArtifact => {
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
  artifact(2, 'heap', `heap from ${SHOWN_TARGETS[0]}${x}`, 'application/vnd.google.pprof+gzip; kind=heap', 'heap profile bytes');
  // As the pprof action records a failure: an event and a finding sharing the error message.
  const refused = `GET ${TARGETS[1]}/debug/pprof/goroutine?debug=2: connect ECONNREFUSED 127.0.0.1:6061`;
  records.timeline.push({
    at: at(4),
    step: 'gather',
    kind: 'action-failed',
    message: `goroutines: goroutine debug=2 from ${TARGETS[1]}: ${refused}${x}`,
  });
  finding(
    2,
    'collection-failure',
    'medium',
    `could not collect ${TARGETS[1]}/debug/pprof/goroutine?debug=2: connection refused${x}`,
    { failed: 2, attempted: 2 },
    { detail: `${refused}${x}` },
  );
  // A failure the report cannot tie to an action: a row of the target's own.
  finding(2, 'collection-failure', 'low', `${TARGETS[1]}: the target stopped answering${x}`, { failed: 1, attempted: 1 });
  records.timeline.push({
    at: at(4),
    step: 'gather',
    kind: 'action-skipped',
    message: `traces: skipped, it needs traceWindow (set with --param, or from the alert)${x}`,
  });

  // Logs: one file, two error groups, one panic with the real traceback.
  const log = artifact(
    2,
    'app-logs',
    `log file /var/log/exporter/app.log${x}`,
    'text/x-log; format=slog-json',
    '{"level":"ERROR","msg":"upstream timeout after 31ms"}\n',
  );
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
  const matrix = (name: string) =>
    artifact(2, 'prom', `query ${name}${x}`, `application/vnd.prometheus.matrix+json; name=${name}`, '{"resultType":"matrix","result":[]}');
  const svg = readFileSync(SVG_FIXTURE);
  const goroutines = matrix('goroutines');
  artifact(2, 'prom', options.chartLabel ?? `chart: goroutines${x}`, 'image/svg+xml', svg);
  matrix('heap');
  artifact(2, 'prom', `chart: heap${x}`, 'image/svg+xml', svg);
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
  );
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
