/**
 * The Logs, Metrics and Benchmarks sections: the findings and artifacts of those collectors,
 * arranged the way a reader looks at them (a table of log error groups, each panic's traceback,
 * each chart with the metric changes it shows, a benchmark table). Findings keep their number
 * from the Findings section so the two can be cross-referenced.
 */
import { MediaType, parseMediaType } from '../core/model.js';
import type {
  ReportBenchmark,
  ReportBenchmarks,
  ReportChart,
  ReportImage,
  ReportLogs,
  ReportMetricChange,
  ReportMetrics,
} from './gather-report-data.js';
import type { ReportArtifact, ReportFinding } from './report-data.js';

/** A finding's metric by name; null when absent. */
function metricOf(finding: ReportFinding, ...names: string[]): number | null {
  for (const name of names) {
    const metric = finding.metrics.find((m) => m.name === name);
    if (metric && Number.isFinite(metric.value)) return metric.value;
  }
  return null;
}

/** Unix milliseconds (the log parsers' `firstSeenMs` / `lastSeenMs`) → ISO; null when absent or out of range. */
function isoFromMs(ms: number | null): string | null {
  if (ms === null) return null;
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/**
 * The message template of a `log-errors` finding: the `template: …` line the log analyzer
 * (src/analyze/log-findings.ts) opens its detail with, else the title (`42× ERROR: <template>`).
 */
function logTemplateOf(finding: ReportFinding): string {
  return /^template: (.*)$/m.exec(finding.detail ?? '')?.[1] ?? finding.title;
}

/**
 * Logs: every `log-errors` finding as a row (its template, metrics count / firstSeenMs /
 * lastSeenMs) and every `panic` finding with its traceback (its detail, printed exactly).
 */
export function buildLogs(findings: readonly ReportFinding[], artifacts: readonly ReportArtifact[]): ReportLogs {
  const sources = artifacts.filter((a) => parseMediaType(a.mediaType).type === parseMediaType(MediaType.log('x')).type);
  const errorGroups = findings
    .filter((f) => f.kind === 'log-errors')
    .map((f) => ({
      number: f.number,
      template: logTemplateOf(f),
      severity: f.severity,
      count: metricOf(f, 'count'),
      firstSeen: isoFromMs(metricOf(f, 'firstSeenMs')),
      lastSeen: isoFromMs(metricOf(f, 'lastSeenMs')),
    }));
  const panics = findings
    .filter((f) => f.kind === 'panic')
    .map((f) => ({
      number: f.number,
      title: f.title,
      location: f.location,
      traceback: f.detail ?? '',
      sources: f.artifacts.map((a) => a.label),
    }));
  return { shown: sources.length > 0 || errorGroups.length > 0 || panics.length > 0, sources, errorGroups, panics };
}

/**
 * Metrics: each chart (an image whose artifact has role `chart` and a `query` attribute) with the
 * `metric-change` findings it shows — those pointing at the chart itself, or at the query result
 * the same action kept in the same step run for the same query. Changes tied to no chart are
 * listed after the charts.
 */
export function buildMetrics(
  findings: readonly ReportFinding[],
  artifacts: readonly ReportArtifact[],
  images: readonly ReportImage[],
): ReportMetrics {
  const byId = new Map(artifacts.map((a) => [a.id, a]));
  const matrixType = parseMediaType(MediaType.promMatrix('x')).type;
  const queryKey = (a: ReportArtifact) =>
    a.attributes.query === undefined ? undefined : `${a.actionId}\u0000${a.stepRunId}\u0000${a.attributes.query.name}`;

  const charts: ReportChart[] = [];
  const chartByArtifact = new Map<number, ReportChart>();
  const chartByQuery = new Map<string, ReportChart>();
  for (const image of images) {
    const artifact = byId.get(image.artifactId);
    const key = artifact && queryKey(artifact);
    if (!artifact || artifact.attributes.role !== 'chart' || key === undefined) continue;
    const chart: ReportChart = { name: artifact.attributes.query!.name, image, changes: [] };
    charts.push(chart);
    chartByArtifact.set(artifact.id, chart);
    if (!chartByQuery.has(key)) chartByQuery.set(key, chart);
  }

  const otherChanges: ReportMetricChange[] = [];
  for (const finding of findings.filter((f) => f.kind === 'metric-change')) {
    const change = { number: finding.number, title: finding.title, severity: finding.severity, metrics: finding.metrics };
    const pointed = finding.artifacts.flatMap((a) => byId.get(a.id) ?? []);
    const chart =
      pointed.map((a) => chartByArtifact.get(a.id)).find((c) => c !== undefined) ??
      pointed.map((a) => chartByQuery.get(queryKey(a) ?? '')).find((c) => c !== undefined);
    (chart ? chart.changes : otherChanges).push(change);
  }
  const queries = artifacts.filter((a) => parseMediaType(a.mediaType).type === matrixType).length;
  return { shown: queries > 0 || charts.length > 0 || otherChanges.length > 0, queries, charts, otherChanges };
}

/** Pictures that are not metric charts (call graphs …), shown in a section of their own. */
export function otherPictures(images: readonly ReportImage[], metrics: ReportMetrics): ReportImage[] {
  const charted = new Set(metrics.charts.map((c) => c.image.artifactId));
  return images.filter((image) => !charted.has(image.artifactId));
}

/**
 * Benchmarks: every `benchmark` finding as a row (metrics nsPerOp, bytesPerOp, allocsPerOp).
 * The name is the benchmark as `go test` printed it, which opens the title (`BenchmarkSum/size=10-2: …`,
 * src/analyze/bench-findings.ts) and keeps sub-benchmarks apart; else the finding's function, else the title.
 */
export function buildBenchmarks(findings: readonly ReportFinding[], artifacts: readonly ReportArtifact[]): ReportBenchmarks {
  const rows: ReportBenchmark[] = findings
    .filter((f) => f.kind === 'benchmark')
    .map((f) => ({
      number: f.number,
      name: /^(Benchmark\S*?):(?:\s|$)/.exec(f.title)?.[1] ?? f.func ?? f.title,
      nsPerOp: metricOf(f, 'nsPerOp'),
      bytesPerOp: metricOf(f, 'bytesPerOp'),
      allocsPerOp: metricOf(f, 'allocsPerOp'),
    }));
  const outputs = artifacts.filter((a) => parseMediaType(a.mediaType).type === MediaType.goBench).length;
  return { shown: outputs > 0 || rows.length > 0, rows };
}

/**
 * Whether a finding is listed in the Findings table only, without an entry of its own: an
 * escape site that no heap profile shows hot. A service has dozens (every value handed to
 * fmt escapes), and an entry each buried the rest of the report; the sites that matter come
 * back as the allocation join (`main.f allocates 26% of alloc_space …`), which keeps its
 * entry. Their compiler reasons stay in the database (`gotriage show ID --json`).
 */
export function listedOnly(finding: { kind: string; metrics: Record<string, number> }): boolean {
  return finding.kind === 'escape' && finding.metrics.allocPct === undefined;
}

/**
 * The section that shows a finding's detail instead of the Findings section, so a traceback is
 * printed once: panics under Logs. Other kinds keep their detail in Findings.
 */
export function detailShownIn(kind: string): string | null {
  return kind === 'panic' ? 'Logs' : null;
}
