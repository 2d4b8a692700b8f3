/**
 * Alert ingestion: an Alertmanager webhook payload (version 4), a Grafana alerting webhook
 * payload, or a plain text / Markdown bug report. What it yields — title, severity, service,
 * labels, start time, collection window — names the incident and fills playbook parameters
 * (see `alertParams`).
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { UsageError } from '../core/errors.js';
import { DEFAULT_WINDOW_MARGIN_MS, type AlertOptions, type ParsedAlert } from './alert-types.js';
import { ALERTMANAGER_KEYS, GRAFANA_KEYS, detectWebhookSource, parseWebhookPayload } from './alert-webhook.js';
import { parseTextReport } from './alert-text.js';
import { alertWindow } from './alert-time.js';
import { redactSecrets } from '../core/redact.js';

export type { AlertOptions, AlertSource, AlertWindow, IngestedAlert, ParsedAlert } from './alert-types.js';
export { DEFAULT_WINDOW_MARGIN_MS } from './alert-types.js';
export { alertParams, sanitiseLabelName } from './alert-params.js';
export { exprFromGeneratorUrl } from './alert-webhook.js';

/** Alert files larger than this are refused: a webhook payload is a few KiB, a report less. */
export const MAX_ALERT_BYTES = 1024 * 1024;

const WHAT_TO_GIVE = 'give an Alertmanager or Grafana webhook payload (JSON) or a text/Markdown bug report';

/**
 * Parses an already-decoded webhook payload. `origin` names it in errors (a file path).
 * @throws UsageError when it is not an object with an `alerts` array (the message lists the
 *   keys each supported shape has, and the keys that were found).
 */
export function parseAlertPayload(payload: unknown, origin: string, options: AlertOptions = {}): ParsedAlert {
  const object = payload && typeof payload === 'object' && !Array.isArray(payload) ? (payload as Record<string, unknown>) : undefined;
  const source = object && detectWebhookSource(object);
  if (!object || !source) {
    const found = object
      ? `found keys: ${Object.keys(object).slice(0, 12).join(', ') || 'none'}`
      : `found a JSON ${Array.isArray(payload) ? 'array' : typeof payload}`;
    throw new UsageError(
      `${origin} is neither an Alertmanager webhook payload (keys ${ALERTMANAGER_KEYS.join(', ')}) nor a Grafana alerting webhook payload (keys ${GRAFANA_KEYS.join(', ')}); ${redactSecrets(found)}`,
      `${WHAT_TO_GIVE}; an alert list as POSTed to /api/v2/alerts is not a webhook payload`,
    );
  }
  return parseWebhookPayload(object, source, origin, options);
}

/**
 * Parses alert text: JSON (a file named `*.json`, or text starting like a JSON object) must be a
 * webhook payload; anything else is a bug report.
 * @throws UsageError for JSON that does not parse or has neither webhook shape.
 */
export function parseAlertText(text: string, origin: string, options: AlertOptions = {}): ParsedAlert {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  // A JSON object opens with `{` then a key or `}`; a report opening with `{{secret}}` is prose.
  const looksJson = /^\{\s*["}]/.test(trimmed) || /\.json$/i.test(origin);
  if (!looksJson) return parseTextReport(trimmed, options);
  let payload: unknown;
  try {
    payload = JSON.parse(trimmed);
  } catch (error) {
    throw new UsageError(
      `alert file ${origin} looks like JSON but does not parse: ${(error as Error).message}`,
      `fix the JSON, or ${WHAT_TO_GIVE}`,
    );
  }
  return parseAlertPayload(payload, origin, options);
}

/**
 * Reads and parses an alert file (see {@link parseAlertText}).
 * @throws UsageError when the file is missing or unreadable, or larger than 1 MiB (checked
 *   before reading, so a huge file is never loaded), or does not parse.
 */
export function loadAlertFile(path: string, options: AlertOptions = {}): ParsedAlert {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw new UsageError(describeOpenError(path, error as NodeJS.ErrnoException), WHAT_TO_GIVE);
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw new UsageError(`alert file ${path} is a directory`, WHAT_TO_GIVE);
    if (stat.size > MAX_ALERT_BYTES) {
      throw new UsageError(
        `alert file ${path} is ${stat.size} bytes, more than the 1 MiB limit`,
        'give the webhook payload or report itself, not a log or a dump',
      );
    }
    // Read at most one byte past the limit: a file that grows after fstat is still bounded.
    const buffer = Buffer.alloc(Math.min(stat.size, MAX_ALERT_BYTES) + 1);
    const length = readSync(fd, buffer, 0, buffer.length, 0);
    if (length > MAX_ALERT_BYTES) throw new UsageError(`alert file ${path} is larger than the 1 MiB limit`);
    return parseAlertText(buffer.subarray(0, length).toString('utf8'), path, options);
  } finally {
    closeSync(fd);
  }
}

function describeOpenError(path: string, error: NodeJS.ErrnoException): string {
  if (error.code === 'ENOENT') return `alert file ${path} does not exist`;
  if (error.code === 'EACCES') return `alert file ${path} is not readable (permission denied)`;
  if (error.code === 'EISDIR') return `alert file ${path} is a directory`;
  return `cannot read alert file ${path}: ${error.message}`;
}

/**
 * The alert when there is no file: what `--title`/`--severity` say is set by the caller; the
 * window is the last `marginMs` before `now`.
 */
export function alertFromFlags(options: AlertOptions = {}): ParsedAlert {
  const now = options.now ?? new Date();
  return {
    title: 'incident',
    severity: 'medium',
    labels: {},
    source: 'flags',
    alerts: 0,
    window: alertWindow(undefined, undefined, now, options.marginMs ?? DEFAULT_WINDOW_MARGIN_MS),
    raw: {},
  };
}
