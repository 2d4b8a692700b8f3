/**
 * Prometheus range query results → `metric-change` findings: series that rose or fell
 * sharply inside the alert window.
 */
import { readFile } from 'node:fs/promises';
import { asMatrixData, formatSeriesName, seriesOf, type PromSeries } from '../core/prom-matrix.js';
import { redactSecrets } from '../core/redact.js';
import type { Finding, Severity } from '../core/model.js';
import { parseMediaType } from '../core/model.js';
import type { StoredArtifact } from '../store/store.js';

export interface MetricChangeOptions {
  /** A series whose end value is at least this many times its start value (or at most 1/this) is reported. Default 2. */
  minRatio?: number;
  /** Series with fewer finite points are not judged. Default 3. */
  minPoints?: number;
  /** At most this many findings per query, largest change first. Default 10. */
  maxFindings?: number;
}

const DEFAULTS: Required<MetricChangeOptions> = { minRatio: 2, minPoints: 3, maxFindings: 10 };

/**
 * Monotonic counters by Prometheus naming convention: their raw value only ever rises, so
 * "rose ×3" says nothing (query rate() of them instead, which this rule does judge).
 */
const COUNTER_SUFFIX = /_(total|count|sum|bucket)$/;

const MEDIA_TYPE = 'application/vnd.prometheus.matrix+json';

/**
 * Findings for every promMatrix artifact among `artifacts` (others are ignored). An artifact
 * that cannot be read gives a `tool-failure` finding naming it; this never throws for bad content.
 */
export async function metricFindings(artifacts: readonly StoredArtifact[]): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const artifact of artifacts) {
    const { type, params } = parseMediaType(artifact.mediaType);
    if (type !== MEDIA_TYPE) continue;
    try {
      const data = asMatrixData(JSON.parse(await readFile(artifact.path, 'utf8')));
      findings.push(...metricChangeFindings(artifact.id, params.name ?? 'query', seriesOf(data)));
    } catch (error) {
      findings.push({
        kind: 'tool-failure',
        title: redactSecrets(`could not read Prometheus result ${artifact.label}`),
        severity: 'medium',
        metrics: { size: artifact.size },
        detail: redactSecrets(
          `${error instanceof Error ? error.message : String(error)}\nThe raw bytes are kept as artifact ${artifact.id} (sha256 ${artifact.sha256}).`,
        ),
        artifactIds: [artifact.id],
      });
    }
  }
  return findings;
}

/**
 * The rule. For each series with at least `minPoints` finite values, `first` and `last` are
 * the medians of its first and last k points (k = a tenth of the points, 1 to 5), so one
 * noisy scrape at either edge neither makes nor hides a change. A series changed when
 * `ratio = last / first` is ≥ minRatio (rose) or ≤ 1 / minRatio (fell) — this catches
 * both a steady climb (a leak) and a step change that persists to the end of the window.
 * Not judged: series whose first value is ≤ 0 (no meaningful ratio) and raw counters
 * (`*_total`, `*_count`, `*_sum`, `*_bucket`).
 *
 * Severity by the size of the change (×ratio or ÷ratio): ≥ 10 high, ≥ 4 medium, else low.
 * Metrics: first, last, min, max, ratio (last/first), change (≥ 1 either way),
 * direction (1 rose, -1 fell), points.
 */
export function metricChangeFindings(
  artifactId: number,
  queryName: string,
  series: readonly PromSeries[],
  options: MetricChangeOptions = {},
): Finding[] {
  const opts = { ...DEFAULTS, ...options };
  const changes: Finding[] = [];
  for (const s of series) {
    if (COUNTER_SUFFIX.test(s.metric.__name__ ?? '')) continue;
    const finite = s.points.filter(([t, v]) => Number.isFinite(t) && Number.isFinite(v));
    if (finite.length < opts.minPoints) continue;
    const values = finite.map(([, v]) => v);
    const k = Math.min(5, Math.max(1, Math.round(values.length / 10)));
    const first = median(values.slice(0, k));
    const last = median(values.slice(-k));
    if (!(first > 0) || last < 0) continue;
    const ratio = last / first;
    const rose = ratio >= opts.minRatio;
    const fell = ratio <= 1 / opts.minRatio;
    if (!rose && !fell) continue;
    const change = rose ? ratio : 1 / ratio;
    let min = Infinity;
    let max = -Infinity;
    for (const v of values) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    const name = formatSeriesName(s.metric, queryName);
    const verb = rose ? 'rose' : 'fell';
    const factor = `${rose ? '×' : '÷'}${formatNumber(change >= 10 ? Math.round(change) : Math.round(change * 10) / 10)}`;
    const from = new Date(finite[0]![0] * 1000).toISOString();
    const to = new Date(finite[finite.length - 1]![0] * 1000).toISOString();
    changes.push({
      kind: 'metric-change',
      title: redactSecrets(`${name} ${verb} ${formatNumber(first)} → ${formatNumber(last)} (${factor}) in the window`),
      severity: severityOf(change),
      metrics: { first, last, min, max, ratio, change, direction: rose ? 1 : -1, points: finite.length },
      detail: redactSecrets(
        `query ${queryName}, series ${name}: ${finite.length} points from ${from} to ${to}; ` +
          `min ${formatNumber(min)}, max ${formatNumber(max)}. First and last are medians of the first and last ${k} point(s).`,
      ),
      artifactIds: [artifactId],
    });
  }
  return changes.sort((a, b) => b.metrics.change! - a.metrics.change!).slice(0, opts.maxFindings);
}

function severityOf(change: number): Severity {
  if (change >= 10) return 'high';
  if (change >= 4) return 'medium';
  return 'low';
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** `1840` → `1,840`; `0.01234` → `0.0123`; keeps at most 3 significant decimals below 1. */
export function formatNumber(value: number): string {
  if (Math.abs(value) >= 1) return value.toLocaleString('en-US', { maximumFractionDigits: 2 });
  return String(Number(value.toPrecision(3)));
}
