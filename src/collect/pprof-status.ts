/**
 * Non-200 answers of a pprof endpoint → PprofFetchError. The messages Go's net/http/pprof
 * sends (as text/plain with `X-Go-Pprof: 1`, src/net/http/pprof/pprof.go serveError) are
 * recognised; anything else is described by status and the start of the body.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { pprofEndpoint, PPROF_ENDPOINTS } from '../core/pprof-endpoints.js';
import { redactSecrets, redactUrl } from '../core/redact.js';
import { PprofFetchError } from './pprof-error.js';

export interface StatusContext {
  endpoint: string;
  profile: string;
  status: number;
  headers: IncomingHttpHeaders;
  /** The first bytes of the body. */
  head: Buffer;
  /** Where the whole body was kept. */
  outputPath: string;
}

/** Builds the error for a response whose status is not 200. */
export function describeStatusFailure(ctx: StatusContext): PprofFetchError {
  const { endpoint: at, status } = ctx;
  const body = bodySnippet(ctx.head);
  const make = (message: string, retryable: boolean, hint: string) =>
    new PprofFetchError(message, { endpoint: at, retryable, status, artifactPath: ctx.outputPath, hint });

  if (status === 500 && body.startsWith('Could not enable CPU profiling')) {
    return make(
      `${at}: another CPU profile is already running in this process (HTTP 500: ${body})`,
      true,
      'Go allows one CPU profile at a time per process: retry when the other capture (another gotriage, go tool pprof, a continuous profiler) has finished',
    );
  }
  if (status === 404 && body.startsWith('Unknown profile')) {
    return make(
      `${at}: unknown profile '${ctx.profile}' (HTTP 404 Unknown profile)`,
      false,
      `the service does not register this profile; net/http/pprof serves ${servedNames()}`,
    );
  }
  if (status === 400 && body.includes('seconds and debug params are incompatible')) {
    return make(
      `${at}: seconds and debug params are incompatible (HTTP 400)`,
      false,
      'ask either for text (debug=1/2) or for a timed delta profile (seconds), not both',
    );
  }
  if (status === 404) {
    return make(
      `${at}: not found (HTTP 404)`,
      false,
      'is pprof served under another base path? set the pprof base path (e.g. /debug/pprof) to where the service mounts net/http/pprof',
    );
  }
  if (status === 401 || status === 403) {
    return make(
      `${at}: access ${status === 401 ? 'requires credentials' : 'refused'} (HTTP ${status})`,
      false,
      'put the credentials in the target URL (https://user:password@host:port); they are sent as Basic auth and never printed',
    );
  }
  if (status >= 300 && status < 400) {
    const location = typeof ctx.headers.location === 'string' ? redactUrl(ctx.headers.location) : 'nowhere';
    return make(
      `${at}: redirected (HTTP ${status}) to ${location}, probably a login page`,
      false,
      'point the target at the pprof listener itself, not at a proxy that wants a browser login',
    );
  }
  const what = body ? `: ${body}` : '';
  return make(
    `${at}: HTTP ${status}${what}`,
    status >= 500,
    status >= 500 ? 'the service failed to serve the profile; try again' : 'check the target URL and profile',
  );
}

/** `profile, heap, … trace (goroutineleak needs …)`: the endpoints, and which Go serves the optional ones. */
function servedNames(): string {
  const optional = PPROF_ENDPOINTS.flatMap((name) => pprofEndpoint(name)?.notServed ?? []);
  return `${PPROF_ENDPOINTS.join(', ')}${optional.length > 0 ? ` (${optional.join('; ')})` : ''}`;
}

/** The first line of a text body, redacted and cut short; '' for binary bodies. */
function bodySnippet(head: Buffer): string {
  const text = head.subarray(0, 300).toString('utf8');
  if (/[\u0000-\u0008\u000e-\u001f]/.test(text)) return '';
  const line = text.split('\n').find((l) => l.trim() !== '') ?? '';
  return redactSecrets(line.trim()).slice(0, 200);
}
