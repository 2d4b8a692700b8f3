/**
 * A `metrics` playbook action: Prometheus range queries over the alert window — the
 * playbook's queries and the alert's own expression — each kept as the query's JSON
 * matrix (read by src/analyze/metric-findings.ts) and as an SVG chart for the report.
 * A failing query is recorded and never stops the others.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { showQuery } from '../../collect/prometheus-error.js';
import { fillPromQL } from '../../playbook/interpolate-promql.js';
import { formatSeriesName } from '../../core/prom-matrix.js';
import { resolveWindow } from '../../collect/prometheus-window.js';
import { prometheusEndpoint, queryRange, type QueryRangeResult } from '../../collect/prometheus.js';
import { RequestLimiter, settleUnderLimit } from '../../collect/fanout-limiter.js';
import { UsageError } from '../../core/errors.js';
import { redactSecrets } from '../../core/redact.js';
import { MediaType } from '../../core/model.js';
import { fillValue } from '../../playbook/interpolate.js';
import { parseDuration, type MetricsAction } from '../../playbook/schema.js';
import { renderLineChartSvg } from '../../report/chart-svg.js';
import { rethrowFirstRejection } from '../../core/async.js';
import type { StoredArtifact } from '../../store/store.js';
import type { StepEnv } from '../types.js';
import { eventNow, recordCollection, type ActionOutcome } from './outcome.js';
import { keepArtifact } from './keep-artifact.js';

const DEFAULT_TIMEOUT_MS = 30_000;
/** Queries in flight at once against one Prometheus. */
const CONCURRENCY = 4;
/** The name the alert's own expression is stored under. */
export const ALERT_QUERY_NAME = 'alert-expr';

interface PlannedQuery {
  name: string;
  /** The template (playbook) or the expression (alert); filled per query so one bad value fails one query. */
  expr: string;
  fromAlert: boolean;
  unit?: string;
}

/**
 * Runs the action. Parameters read: `window.start`, `window.end` (RFC 3339 or unix seconds;
 * the last 30 minutes when absent) and `alert.expr` (when `alertExpr` is true).
 * Playbook queries get their placeholders filled by fillPromQL (values escaped as PromQL
 * strings); the alert's expression is used exactly as the alert gave it — it is data,
 * never a template.
 * @throws UsageError when the action cannot start (unknown placeholder in `prometheus`, bad window).
 */
export async function runMetricsAction(env: StepEnv, stepRunId: number, action: MetricsAction, round: string): Promise<ActionOutcome> {
  const { clock, log } = env.ctx;
  const where = `action ${action.id}`;
  const startedAt = clock.now().toISOString();
  const outcome: ActionOutcome = { artifacts: [], events: [], failures: 0 };
  const warn = (text: string) => outcome.events.push(eventNow(env, { kind: 'warning', action: action.id, text: redactSecrets(text) }));
  const failed: string[] = [];

  // gotriage fetches this URL itself (credentials in it are used, never shown): not a command line.
  const baseUrl = fillValue(action.prometheus, env.params, where);
  const queries: PlannedQuery[] = action.queries.map((q) => ({ name: q.name, expr: q.expr, fromAlert: false, unit: q.unit }));
  const alertExpr = env.params['alert.expr']?.trim();
  if (action.alertExpr && alertExpr) queries.push({ name: ALERT_QUERY_NAME, expr: alertExpr, fromAlert: true });
  if (baseUrl.trim() === '' || queries.length === 0) {
    const why =
      baseUrl.trim() === ''
        ? 'no Prometheus URL was given'
        : 'there is no query (the playbook names none and the alert carries no expression)';
    log.warn(`${where}: skipped: ${why}`);
    outcome.events.push(eventNow(env, { kind: 'action-skipped', action: action.id, reason: why }));
    await recordCollection(env, stepRunId, action.id, { target: null, status: 'skipped', reason: why, artifacts: [], startedAt });
    return outcome;
  }
  // Checked once, after filling: a value from an alert label can move the host
  // (`{{promHost}}` = `evil.example#`), and then no query is sent at all.
  let prometheusHost: string;
  try {
    prometheusHost = prometheusEndpoint(baseUrl, `${where}: prometheus`).host;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    outcome.failures++;
    const message = `${error.message}${error.hint ? ` (${error.hint})` : ''}`;
    log.warn(`${message}; no query was sent`);
    const reason = redactSecrets(`metrics not collected: ${message}`);
    outcome.events.push(eventNow(env, { kind: 'action-failed', action: action.id, reason }));
    await recordCollection(env, stepRunId, action.id, { target: null, status: 'failed', reason, artifacts: [], startedAt });
    return outcome;
  }
  const window = resolveWindow(env.params['window.start'], env.params['window.end'], clock.now());
  const stepSeconds = parseDuration(action.step) / 1000;
  const timeoutMs = action.timeout ? parseDuration(action.timeout) : DEFAULT_TIMEOUT_MS;

  const jobs = queries.map((query) => async () => {
    const what = `${where} query ${query.name}`;
    try {
      const expr = query.fromAlert ? query.expr : fillPromQL(query.expr, env.params, what);
      log.info(`  querying Prometheus at ${prometheusHost}: ${query.name} = ${showQuery(expr)}`);
      const result = await queryRange({ baseUrl, expr, start: window.start, end: window.end, stepSeconds, timeoutMs, signal: env.signal });
      if (result.stepWidened) {
        warn(
          `${query.name}: step widened from ${stepSeconds}s to ${result.stepSeconds}s so the window fits Prometheus' 11,000 points per series`,
        );
      }
      for (const warning of result.warnings) warn(`${query.name}: Prometheus warns: ${warning}`);
      if (result.series.length === 0) warn(`${query.name}: no series matched ${showQuery(expr)} in the window`);
      outcome.artifacts.push(...(await keepQueryArtifacts(env, stepRunId, action, round, query, expr, result)));
    } catch (error) {
      if (env.signal.aborted) throw error;
      outcome.failures++;
      const message = redactSecrets(error instanceof Error ? error.message : String(error));
      log.warn(`${what}: ${message}`);
      failed.push(`${query.name}: ${message}`);
      outcome.events.push(eventNow(env, { kind: 'action-failed', action: action.id, reason: `${query.name}: ${message}` }));
    }
  });
  const settled = await settleUnderLimit(new RequestLimiter(CONCURRENCY), prometheusHost, jobs);
  rethrowFirstRejection(settled);
  await recordCollection(env, stepRunId, action.id, {
    target: null,
    status: failed.length > 0 ? 'failed' : 'ok',
    reason: failed.length > 0 ? failed.join('; ') : null,
    artifacts: outcome.artifacts,
    startedAt,
  });
  return outcome;
}

/** Stores the matrix JSON and its chart; returns both artifacts. */
async function keepQueryArtifacts(
  env: StepEnv,
  stepRunId: number,
  action: MetricsAction,
  round: string,
  query: PlannedQuery,
  expr: string,
  result: QueryRangeResult,
): Promise<StoredArtifact[]> {
  const base = join(env.scratchDir, `${action.id}-${round}-${query.name}`);
  await writeFile(`${base}.json`, JSON.stringify(result.data));
  const attributes = { query: { name: query.name, expr: redactSecrets(expr) }, endpoint: redactSecrets(result.endpoint), round };
  const matrix = await keepArtifact(env, {
    stepRunId,
    actionId: action.id,
    sourcePath: `${base}.json`,
    mediaType: MediaType.promMatrix(query.name),
    label: redactSecrets(
      `metrics ${query.name}: ${showQuery(expr)} from ${result.endpoint} (${result.series.length} series, step ${result.stepSeconds}s)`,
    ),
    attributes,
  });
  await writeFile(`${base}.svg`, renderQueryChart(query, expr, result));
  const chart = await keepArtifact(env, {
    stepRunId,
    actionId: action.id,
    sourcePath: `${base}.svg`,
    mediaType: MediaType.svg,
    label: `chart: ${query.name}`,
    attributes: { ...attributes, role: 'chart' },
  });
  return [matrix, chart];
}

/** The chart of one query: the largest series first, so the ones drawn are the ones that matter. */
function renderQueryChart(query: PlannedQuery, expr: string, result: QueryRangeResult): string {
  const peak = (points: [number, number][]) => points.reduce((m, [, v]) => (Number.isFinite(v) && v > m ? v : m), -Infinity);
  const series = result.series
    .map((s) => ({ name: redactSecrets(formatSeriesName(s.metric, query.name)), points: s.points, peak: peak(s.points) }))
    .sort((a, b) => (b.peak === a.peak ? 0 : b.peak > a.peak ? 1 : -1));
  return renderLineChartSvg({ title: redactSecrets(`${query.name}: ${expr.replace(/\s+/g, ' ')}`), unit: query.unit, series });
}
