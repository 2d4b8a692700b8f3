/**
 * Alertmanager (webhook payload version 4) and Grafana unified-alerting webhook payloads.
 * Grafana's notifier embeds Alertmanager, so both share one shape — `status`, `alerts[]`
 * with labels/annotations/startsAt/endsAt/generatorURL/fingerprint, `groupLabels`,
 * `commonLabels`, `commonAnnotations`, `truncatedAlerts` — and Grafana adds `orgId`,
 * `title`/`state`/`message` and per-alert `values`/`valueString`/`silenceURL`/`dashboardURL`/`panelURL`.
 */
import { UsageError } from '../core/errors.js';
import type { Severity } from '../core/model.js';
import { DEFAULT_WINDOW_MARGIN_MS, type AlertOptions, type ParsedAlert } from './alert-types.js';
import { alertWindow, earliest, formatUtc, latest, parseAlertTime } from './alert-time.js';
import { compareSeverity, severityFromLabel } from './alert-severity.js';
import { redactPayload, redactValues } from './alert-redact.js';
import { redactSecrets } from '../core/redact.js';

/** One entry of `alerts[]`, with its times parsed. */
interface AlertEntry {
  index: number;
  firing: boolean;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  severity: Severity;
  start?: Date;
  /** A real end: the alert resolved. */
  end?: Date;
  generatorURL?: string;
}

/** The keys named in the error for JSON that is neither shape. */
export const ALERTMANAGER_KEYS = ['version: "4"', 'status', 'alerts[]', 'groupLabels', 'commonLabels'];
export const GRAFANA_KEYS = ['orgId', 'state', 'title', 'alerts[]'];

/** Per-alert keys only Grafana sends. */
const GRAFANA_ALERT_KEYS = ['values', 'valueString', 'silenceURL', 'dashboardURL', 'panelURL', 'imageURL'];

/** Labels that name the service, most specific first (`job` is often a scrape-job name). */
const SERVICE_LABELS = ['service', 'service_name', 'app_kubernetes_io_name', 'app', 'job', 'container'];

/**
 * Which webhook a JSON object is: Grafana when it carries Grafana's extra keys (`orgId`,
 * `state`, or per-alert `values`/`silenceURL`…), Alertmanager for any other object with an
 * `alerts` array; undefined when there is no `alerts` array at all.
 */
export function detectWebhookSource(payload: Record<string, unknown>): 'alertmanager' | 'grafana' | undefined {
  if (!Array.isArray(payload.alerts)) return undefined;
  if ('orgId' in payload || typeof payload.state === 'string') return 'grafana';
  const grafanaAlert = payload.alerts.some((a) => a && typeof a === 'object' && GRAFANA_ALERT_KEYS.some((k) => k in a));
  return grafanaAlert ? 'grafana' : 'alertmanager';
}

/**
 * The PromQL expression in a Prometheus generatorURL (`…/graph?g0.expr=…&g0.tab=1`).
 * Prometheus builds it with Go's url.QueryEscape (space as `+`), which URLSearchParams
 * decodes. Grafana's generatorURL (`/alerting/<uid>/edit`) carries none.
 */
export function exprFromGeneratorUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url, 'http://generator.invalid').searchParams.get('g0.expr')?.trim() || undefined;
  } catch {
    return undefined;
  }
}

function stringRecord(value: unknown): Record<string, string> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).filter(([, v]) => typeof v === 'string')) as Record<
    string,
    string
  >;
}

function readEntry(value: unknown, index: number, origin: string, now: Date): AlertEntry {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new UsageError(`${origin}: alerts[${index}] is not an object`, 'each entry of alerts[] needs labels, annotations and startsAt');
  }
  const a = value as Record<string, unknown>;
  const labels = stringRecord(a.labels);
  const endsAt = parseAlertTime(a.endsAt);
  // A firing alert's endsAt is not an end: Alertmanager sends Go's zero time, and a
  // Prometheus-style sender may put a future "resolve timeout" there. Without a status, an
  // endsAt already past counts as resolved.
  const firing = a.status === 'firing' || (a.status !== 'resolved' && (!endsAt || endsAt > now));
  return {
    index,
    firing,
    labels,
    annotations: stringRecord(a.annotations),
    severity: severityFromLabel(labels.severity ?? labels.priority),
    start: parseAlertTime(a.startsAt),
    end: firing ? undefined : endsAt,
    generatorURL: typeof a.generatorURL === 'string' ? a.generatorURL : undefined,
  };
}

/**
 * The alert that names the incident: firing before resolved, then the highest severity,
 * then the earliest start (the first symptom is usually nearest the cause), then payload order.
 */
function pickTitleAlert(entries: AlertEntry[]): AlertEntry | undefined {
  const startMs = (e: AlertEntry) => e.start?.getTime() ?? Number.POSITIVE_INFINITY;
  return [...entries].sort(
    (a, b) =>
      Number(b.firing) - Number(a.firing) || compareSeverity(b.severity, a.severity) || startMs(a) - startMs(b) || a.index - b.index,
  )[0];
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim().slice(0, 200);
}

/**
 * Turns a webhook payload (already detected as Alertmanager or Grafana) into an alert.
 * Labels and annotations are the title alert's over the common ones; `startsAt` is the
 * earliest start over all alerts; `endsAt` and the window's end are the latest end only when
 * every alert has resolved (one still firing keeps the window open until `now`).
 */
export function parseWebhookPayload(
  payload: Record<string, unknown>,
  source: 'alertmanager' | 'grafana',
  origin: string,
  options: AlertOptions = {},
): ParsedAlert {
  const now = options.now ?? new Date();
  const list = Array.isArray(payload.alerts) ? payload.alerts : [];
  const entries = list.map((a, i) => readEntry(a, i, origin, now));
  const chosen = pickTitleAlert(entries);
  const labels = { ...stringRecord(payload.commonLabels), ...chosen?.labels };
  const annotations = { ...stringRecord(payload.commonAnnotations), ...chosen?.annotations };
  const start = earliest(entries.map((e) => e.start));
  const allEnded = entries.length > 0 && entries.every((e) => e.end);
  const end = allEnded ? latest(entries.map((e) => e.end)) : undefined;
  const expr = exprFromGeneratorUrl(chosen?.generatorURL) ?? entries.map((e) => exprFromGeneratorUrl(e.generatorURL)).find(Boolean);
  const groupLabels = stringRecord(payload.groupLabels);
  const titleText =
    annotations.summary ??
    annotations.title ??
    labels.alertname ??
    (typeof payload.title === 'string' ? payload.title : undefined) ??
    groupLabels.alertname;
  const truncated = typeof payload.truncatedAlerts === 'number' && payload.truncatedAlerts > 0 ? payload.truncatedAlerts : undefined;
  return {
    title: oneLine(redactSecrets(titleText ?? '')) || 'alert',
    severity: chosen?.severity ?? severityFromLabel(labels.severity),
    service: SERVICE_LABELS.map((name) => labels[name]).find((v) => v !== undefined && v !== ''),
    labels,
    annotations: redactValues(annotations),
    startsAt: start && formatUtc(start),
    endsAt: end && formatUtc(end),
    expr,
    source,
    alerts: entries.length,
    ...(truncated !== undefined ? { truncatedAlerts: truncated } : {}),
    window: alertWindow(start, end, now, options.marginMs ?? DEFAULT_WINDOW_MARGIN_MS),
    raw: redactPayload(payload),
  };
}
