/**
 * Reads Prometheus HTTP API answers: the `{"status":"success","data":{…}}` envelope and
 * its `{"status":"error","errorType":…,"error":…}` twin. The matrix inside is read by
 * src/core/prom-matrix.ts.
 */
import { PromResponseShapeError } from '../core/prom-matrix.js';

export type PromEnvelope =
  { ok: true; data: unknown; warnings: string[] } | { ok: false; errorType: string; error: string; warnings: string[] };

/** Parses the API envelope. Throws PromResponseShapeError for non-JSON or a body without `status`. */
export function parsePromEnvelope(body: string): PromEnvelope {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new PromResponseShapeError('not-json', `the answer is not JSON: ${describeHead(body)}`);
  }
  if (!isObject(json) || (json.status !== 'success' && json.status !== 'error')) {
    throw new PromResponseShapeError(
      'bad-result',
      `the answer is JSON but not a Prometheus API response (no "status": "success"|"error"): ${describeHead(body)}`,
    );
  }
  const warnings = Array.isArray(json.warnings) ? json.warnings.map(String) : [];
  if (json.status === 'error') {
    return { ok: false, errorType: textOf(json.errorType, 'unknown'), error: textOf(json.error, ''), warnings };
  }
  return { ok: true, data: json.data, warnings };
}

function describeHead(body: string): string {
  const head = body.replace(/\s+/g, ' ').trim().slice(0, 80);
  return head === '' ? '(empty body)' : JSON.stringify(head);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A field Prometheus documents as a string; anything else is shown as JSON rather than `[object Object]`. */
function textOf(value: unknown, fallback: string): string {
  if (value === undefined || value === null) return fallback;
  return typeof value === 'string' ? value : JSON.stringify(value);
}
