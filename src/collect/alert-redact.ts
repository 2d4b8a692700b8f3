/**
 * Redaction of a received alert payload before it is kept (database, artifacts, report).
 */
import { MASK, redactSecrets } from '../core/redact.js';
import { SECRET_PAIR_KEY } from '../core/secret-names.js';

/**
 * Keys whose whole value is a secret. The `key=value` word list, not the query-name list:
 * the latter masks `code` and `key`, and `code` is a common Prometheus label (HTTP status).
 */
const SECRET_KEY = new RegExp(`(?:${SECRET_PAIR_KEY})`, 'i');

function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/**
 * A deep copy of a JSON value with credentials removed: every string goes through
 * `redactSecrets` (URL userinfo such as an `externalURL` with `user:pass@`, `token=` query
 * parameters in a `generatorURL`, `Authorization:` values, `password=` pairs), and a string
 * stored under a secret-looking key (`"token": "…"`, `"api_key": "…"`) is masked whole.
 *
 * The walk is structural on purpose: redacting the serialised JSON text instead could eat
 * an escaped quote (`token=abc\"`) and leave JSON that no longer parses.
 */
export function redactPayload(value: unknown, key?: string): unknown {
  if (typeof value === 'string') return key !== undefined && isSecretKey(key) ? MASK : redactSecrets(value);
  if (Array.isArray(value)) return value.map((item) => redactPayload(item));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, redactPayload(v, k)]));
  }
  return value;
}

/** A string map with every value passed through `redactSecrets` (annotations, for display). */
export function redactValues(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, isSecretKey(k) ? MASK : redactSecrets(v)]));
}
