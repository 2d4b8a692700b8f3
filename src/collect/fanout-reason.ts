/**
 * A short "why" for a failed fetch — the words the progress line, the timeline event and
 * the `collection-failure` finding use — and whether the failure says the whole target is
 * unreachable (so its remaining requests are skipped instead of each waiting for its own
 * timeout).
 *
 * It reads the PprofFetchError built by pprof-failure.ts / pprof-status.ts / pprof-http.ts:
 * `status` is set only when the service answered; the message wording is theirs, and
 * test/collect/fanout*.test.ts checks the classification against real failures.
 */
import { GotriageError } from '../core/errors.js';
import { redactSecrets } from '../core/redact.js';
import { PprofFetchError } from './pprof-error.js';

export interface FailureReason {
  /** A few words, e.g. `connection refused`, `timed out before any response`. Redacted. */
  reason: string;
  /** True when every other request to this target would fail the same way. */
  targetDown: boolean;
}

const DOWN_PATTERNS: [RegExp, string][] = [
  [/^connection refused by /, 'connection refused'],
  [/^cannot resolve host /, 'DNS lookup failed'],
  [/^cannot reach /, 'host unreachable'],
  [/^TLS certificate of .* (expired|not yet valid)/, 'TLS certificate expired'],
  [/^TLS certificate of .* not trusted/, 'TLS certificate not trusted'],
  [/^TLS certificate of .* does not name/, 'TLS certificate for another host'],
  [/^TLS handshake with /, 'TLS handshake failed'],
  [/^timed out after \d+ ms .*\(before any response\)/, 'timed out before any response'],
  // Headers arrived, then not one byte of body before the deadline: the process is stuck.
  [/^timed out after \d+ ms .*\(after 0 bytes of the body\)/, 'stalled after sending headers (timed out)'],
];

const ANSWER_PATTERNS: [RegExp, string][] = [
  [/another CPU profile is already running/, 'another CPU profile was running (HTTP 500)'],
  [/it returned an HTML page/, 'HTML page instead of a profile'],
  [/unknown profile '/, 'profile not served (HTTP 404 Unknown profile)'],
  [/: not found \(HTTP 404\)/, 'not found (HTTP 404): another pprof base path?'],
  [/access requires credentials/, 'credentials missing or wrong (HTTP 401)'],
  [/access refused \(HTTP 403\)/, 'access refused (HTTP 403)'],
  [/: redirected \(HTTP \d+\)/, 'redirected, probably to a login page'],
  [/during a \d+ s capture/, 'connection closed during the timed capture (server WriteTimeout?)'],
  [/^timed out after \d+ ms .*\(after (\d+) bytes of the body\)/, 'timed out mid-body'],
  [/^connection to .* broke after/, 'connection broke mid-body'],
  [/closed the connection without a response/, 'connection closed without a response'],
  [/truncated or corrupt gzip/, 'truncated or corrupt profile'],
  [/did not return a /, 'response is not the requested profile'],
  [/^cannot write the response/, 'could not write the response to disk'],
];

/** Classifies a fetch failure (anything but a cancel, which callers rethrow). */
export function classifyFetchFailure(error: unknown): FailureReason {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof PprofFetchError) {
    for (const [pattern, reason] of DOWN_PATTERNS) if (pattern.test(message)) return { reason, targetDown: true };
    for (const [pattern, reason] of ANSWER_PATTERNS) if (pattern.test(message)) return { reason, targetDown: false };
    if (error.status !== undefined) return { reason: `HTTP ${error.status}`, targetDown: false };
    return { reason: redactSecrets(firstClause(message)), targetDown: false };
  }
  // A UsageError (bad target URL) fails every request to the target the same way.
  if (error instanceof GotriageError) return { reason: redactSecrets(firstClause(message)), targetDown: true };
  return { reason: redactSecrets(firstClause(message)), targetDown: false };
}

function firstClause(message: string): string {
  return message.split(/[;\n]/)[0]!.slice(0, 160);
}
