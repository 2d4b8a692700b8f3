/**
 * The shape every alert source (Alertmanager, Grafana, a text report, flags) is turned
 * into. Kept apart from the parsers so each parser imports only the types.
 */
import type { Severity } from '../core/model.js';

/** Where an ingested alert came from. */
export type AlertSource = 'alertmanager' | 'grafana' | 'text' | 'flags';

/** The time range logs and metrics are collected over, as RFC 3339 UTC timestamps. */
export interface AlertWindow {
  start: string;
  end: string;
}

/** What an alert (or bug report) yields: it names the incident and fills playbook parameters. */
export interface IngestedAlert {
  title: string;
  severity: Severity;
  service?: string;
  /** The title alert's labels over the payload's commonLabels. Verbatim: these are data. */
  labels: Record<string, string>;
  /** The title alert's annotations over commonAnnotations, secrets redacted (they are shown). */
  annotations?: Record<string, string>;
  /** The earliest start over all alerts, RFC 3339 UTC. */
  startsAt?: string;
  /** The latest end, RFC 3339 UTC — only when every alert has really ended. */
  endsAt?: string;
  /** The PromQL expression, from a Prometheus generatorURL's `g0.expr` parameter. */
  expr?: string;
  source: AlertSource;
  /**
   * How many alerts the payload held (its `alerts[]`; 1 for a text report, 0 for flags).
   * Optional only so hand-built alerts from older callers still typecheck; every parser here sets it.
   */
  alerts?: number;
  /** Alerts the sender left out of the payload (Alertmanager's `max_alerts`), when any. */
  truncatedAlerts?: number;
  /** The collection window; every parser here sets it (see {@link alertWindow}). */
  window?: AlertWindow;
  /** The payload as received (JSON) with credentials redacted, or `{ text }`. */
  raw: unknown;
}

/** An alert as the parsers here return it: count and window always known. */
export type ParsedAlert = IngestedAlert & { alerts: number; window: AlertWindow };

/** Options shared by the parsers. */
export interface AlertOptions {
  /** The current time: the window's end while an alert still fires. Default: the system clock. */
  now?: Date;
  /** How far before the earliest start the window opens. Default {@link DEFAULT_WINDOW_MARGIN_MS}. */
  marginMs?: number;
}

/** 30 minutes: enough to see what led up to the alert (its `for:` clause delays the firing). */
export const DEFAULT_WINDOW_MARGIN_MS = 30 * 60 * 1000;
