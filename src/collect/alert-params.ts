/**
 * The playbook placeholder values an alert provides.
 */
import type { IngestedAlert } from './alert-types.js';

/** Labels also offered under their own name, because playbooks use them most. */
const DIRECT_LABELS = ['instance', 'namespace', 'job', 'pod'] as const;

/** `[a-zA-Z0-9_]` only, so every label name makes a valid placeholder (`{{label.app_kubernetes_io_name}}`). */
export function sanitiseLabelName(name: string): string {
  return name.replace(/[^a-zA-Z0-9_]/g, '_');
}

/**
 * The values that fill playbook placeholders: `alert.startsAt`, `alert.endsAt`, `alert.expr`
 * (each when known), `window.start`, `window.end` (RFC 3339 UTC), every label as
 * `label.<name>` (name sanitised; when two names sanitise alike, the one already clean wins,
 * else the first in sorted order), and `service`, `instance`, `namespace`, `job`, `pod` when
 * the alert carries them. Values are passed through verbatim — the placeholder filler is
 * what refuses flag-like or NUL-carrying values, and a value is never compiled as a template.
 * The caller merges these below flags.
 */
export function alertParams(alert: IngestedAlert): Record<string, string> {
  const params: Record<string, string> = {};
  if (alert.startsAt) params['alert.startsAt'] = alert.startsAt;
  if (alert.endsAt) params['alert.endsAt'] = alert.endsAt;
  if (alert.expr) params['alert.expr'] = alert.expr;
  if (alert.window) {
    params['window.start'] = alert.window.start;
    // A firing alert's window is still open: logs and metrics run up to the moment they
    // are collected (which may be minutes later, or after a resume), not to ingestion time.
    if (alert.endsAt) params['window.end'] = alert.window.end;
  }
  const names = Object.keys(alert.labels).sort();
  for (const name of names) {
    const key = `label.${sanitiseLabelName(name)}`;
    const taken = Object.prototype.hasOwnProperty.call(params, key);
    if (!taken || sanitiseLabelName(name) === name) params[key] = alert.labels[name]!;
  }
  if (alert.service) params.service = alert.service;
  for (const name of DIRECT_LABELS) {
    const value = alert.labels[name];
    if (value !== undefined && value !== '') params[name] = value;
  }
  return params;
}
