/**
 * Alert ingestion (first version): an Alertmanager webhook payload (version 4), or a
 * plain text / Markdown report. What it yields — title, severity, service, labels,
 * start time — names the incident and fills playbook parameters.
 */
import { readFileSync } from 'node:fs';
import { UsageError } from '../errors.js';
import { SEVERITIES, type Severity } from '../model.js';

export interface IngestedAlert {
  title: string;
  severity: Severity;
  service?: string;
  labels: Record<string, string>;
  startsAt?: string;
  source: 'alertmanager' | 'text' | 'flags';
  /** The payload as received (JSON), or { text }. */
  raw: unknown;
}

const MAX_ALERT_BYTES = 1024 * 1024;

function toSeverity(value: string | undefined): Severity {
  const v = (value ?? '').toLowerCase();
  if ((SEVERITIES as readonly string[]).includes(v)) return v as Severity;
  if (v === 'page' || v === 'error' || v === 'p1') return 'high';
  if (v === 'warning' || v === 'warn' || v === 'p2') return 'medium';
  return 'medium';
}

function stringRecord(value: unknown): Record<string, string> {
  if (!value || typeof value !== 'object') return {};
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
}

function fromAlertmanager(payload: Record<string, unknown>): IngestedAlert {
  const alerts = Array.isArray(payload.alerts) ? (payload.alerts as Record<string, unknown>[]) : [];
  const first = alerts[0] ?? {};
  const labels = { ...stringRecord(payload.commonLabels), ...stringRecord(first.labels) };
  const annotations = { ...stringRecord(payload.commonAnnotations), ...stringRecord(first.annotations) };
  return {
    title: annotations.summary ?? labels.alertname ?? 'alert',
    severity: toSeverity(labels.severity),
    service: labels.service ?? labels.job ?? labels.app,
    labels,
    startsAt: typeof first.startsAt === 'string' ? first.startsAt : undefined,
    source: 'alertmanager',
    raw: payload,
  };
}

/** Reads an alert file: JSON with `alerts[]` is Alertmanager, anything else is a text report. */
export function loadAlertFile(path: string): IngestedAlert {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read alert file ${path}: ${(error as Error).message}`);
  }
  if (Buffer.byteLength(text) > MAX_ALERT_BYTES) throw new UsageError(`alert file ${path} is larger than 1 MiB`);
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    let payload: unknown;
    try {
      payload = JSON.parse(trimmed);
    } catch (error) {
      throw new UsageError(`alert file ${path} looks like JSON but does not parse: ${(error as Error).message}`);
    }
    if (payload && typeof payload === 'object' && Array.isArray((payload as Record<string, unknown>).alerts)) {
      return fromAlertmanager(payload as Record<string, unknown>);
    }
  }
  const firstLine = trimmed.split('\n')[0]?.replace(/^#+\s*/, '').trim() || 'incident';
  return { title: firstLine.slice(0, 200), severity: 'medium', labels: {}, source: 'text', raw: { text } };
}
