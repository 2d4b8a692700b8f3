/**
 * Turns what went wrong on the wire into a PprofFetchError whose message says what
 * happened at which (redacted) endpoint and what to do about it.
 */
import { InterruptedError } from '../core/errors.js';
import { redactSecrets, redactUrl } from '../core/redact.js';
import type { DownloadFailure } from './http-download.js';
import { PprofFetchError } from './pprof-error.js';

export interface FailureContext {
  endpoint: string;
  profile: string;
  seconds?: number;
  deadlineMs: number;
  outputPath: string;
}

/** OpenSSL / Node verification codes: the certificate chain is not trusted. */
const UNTRUSTED_CERT = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
]);
const EXPIRED_CERT = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);
const TLS_HINT =
  "add the CA that signed it with NODE_EXTRA_CA_CERTS=/path/to/ca.pem, or use the service's plain-HTTP pprof listener; gotriage never turns certificate checks off";

/** A network-level failure (no usable response) → PprofFetchError, or InterruptedError on cancel. */
export function describeDownloadFailure(failure: DownloadFailure, ctx: FailureContext): Error {
  const at = ctx.endpoint;
  const partial = failure.phase === 'body' ? ctx.outputPath : undefined;
  const kept = partial ? `; the ${failure.bytes} bytes that arrived are kept in ${partial}` : '';
  if (failure.reason === 'aborted') {
    return new InterruptedError(`fetch of ${at} was cancelled${kept}`);
  }
  if (failure.reason === 'deadline') {
    const when = failure.phase === 'body' ? `after ${failure.bytes} bytes of the body` : 'before any response';
    return new PprofFetchError(`timed out after ${ctx.deadlineMs} ms fetching ${at} (${when})${kept}`, {
      endpoint: at,
      retryable: true,
      partialPath: partial,
      status: failure.status,
      hint: "the service may be overloaded or stuck; raise the action's timeout, or fetch a smaller profile (goroutine?debug=1 instead of debug=2)",
    });
  }
  const code = failure.code ?? '';
  const detail = redactSecrets(errorText(failure.cause));
  const make = (message: string, retryable: boolean, hint: string) =>
    new PprofFetchError(message, { endpoint: at, retryable, partialPath: partial, status: failure.status, hint });

  if (failure.reason === 'disk') {
    return make(
      `cannot write the response of ${at} to ${ctx.outputPath} (${detail})`,
      false,
      code === 'ENOSPC'
        ? 'the disk is full: free space where gotriage keeps its artifacts'
        : 'check that the artifacts directory is writable',
    );
  }
  if (failure.phase === 'body') {
    return make(
      `connection to ${at} broke after ${failure.bytes} bytes (${detail})${kept}`,
      true,
      'the service may have restarted or a proxy cut the response; try again',
    );
  }
  if (code === 'ECONNREFUSED') {
    return make(
      `connection refused by ${at}`,
      true,
      'is the service running, and is its pprof listener on this host and port? (net/http/pprof is often on a separate port such as :6060)',
    );
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') {
    const host = hostOf(at);
    return make(
      `cannot resolve host ${host} for ${at} (DNS ${code})`,
      code === 'EAI_AGAIN',
      "check the host name in the target URL, or use the instance's IP address",
    );
  }
  if (EXPIRED_CERT.has(code)) {
    return make(
      `TLS certificate of ${at} is expired or not yet valid (${code})`,
      false,
      'the service must renew its certificate; ' + TLS_HINT,
    );
  }
  if (UNTRUSTED_CERT.has(code)) {
    return make(`TLS certificate of ${at} is not trusted (${code}: self-signed or from an unknown CA)`, false, TLS_HINT);
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return make(
      `TLS certificate of ${at} does not name this host (${detail})`,
      false,
      'use the host name the certificate was issued for; ' + TLS_HINT,
    );
  }
  if (code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS') || code.includes('CERT')) {
    return make(`TLS handshake with ${at} failed (${code})`, false, TLS_HINT);
  }
  if ((code === 'ECONNRESET' || /socket hang up/.test(detail)) && ctx.seconds !== undefined) {
    return make(
      `${at} closed the connection without a response during a ${ctx.seconds} s capture (${detail})`,
      false,
      `the server's http.Server WriteTimeout is probably shorter than seconds=${ctx.seconds}: net/http/pprof extends the write deadline only on Go ≥ 1.23 and only when middleware passes http.ResponseController through; ask for fewer seconds or raise WriteTimeout`,
    );
  }
  if (code === 'ECONNRESET' || /socket hang up/.test(detail)) {
    return make(`${at} closed the connection without a response (${detail})`, true, 'the service may be restarting; try again');
  }
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'ETIMEDOUT') {
    return make(`cannot reach ${at} (${code})`, true, 'check the address and that this machine can reach that network');
  }
  return make(`fetching ${at} failed: ${detail}`, false, 'check the target URL');
}

function errorText(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}

function hostOf(endpoint: string): string {
  try {
    return new URL(endpoint).hostname;
  } catch {
    return redactUrl(endpoint);
  }
}
