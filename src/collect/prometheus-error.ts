/**
 * The error of a failed Prometheus range query. It is a ToolError (exit 1: the action
 * failed, the session goes on) and always names the endpoint (redacted) and the query.
 */
import { ToolError } from '../core/errors.js';
import { redactSecrets } from '../core/redact.js';

/** What went wrong, so callers (and tests) can tell the cases apart without parsing text. */
export type PrometheusFailureKind =
  | 'query' // Prometheus answered `status: error` (bad_data, execution, timeout …)
  | 'refused' // ECONNREFUSED: nothing listens there
  | 'dns' // the host name does not resolve
  | 'tls' // certificate not trusted, expired, or for another host
  | 'network' // any other socket error
  | 'timeout' // our deadline fired
  | 'http' // a non-2xx status without a Prometheus error body
  | 'not-json' // a body that is not JSON (a login page, a proxy's error page)
  | 'bad-result' // JSON, but not a matrix query_range result
  | 'too-large'; // the response exceeded the size cap

export interface PrometheusErrorDetails {
  kind: PrometheusFailureKind;
  /** `…/api/v1/query_range`, redacted: safe to log and store. */
  endpoint: string;
  /** The PromQL sent (as filled), shown shortened in the message. */
  query: string;
  /** Prometheus' own `errorType` (bad_data, execution, timeout, canceled, internal, unavailable). */
  errorType?: string;
  status?: number;
  /** Worth trying again as is (refused connection, timeout). */
  retryable: boolean;
  hint?: string;
}

/** Queries are shown up to this many characters in messages. */
const MAX_QUERY_SHOWN = 200;

/** The query as it appears in messages: redacted, on one line, shortened. */
export function showQuery(query: string): string {
  const oneLine = redactSecrets(query).replace(/\s+/g, ' ').trim();
  return JSON.stringify(oneLine.length > MAX_QUERY_SHOWN ? `${oneLine.slice(0, MAX_QUERY_SHOWN - 3)}...` : oneLine);
}

/** A Prometheus range query failed; the message says where, which query and what to do. */
export class PrometheusQueryError extends ToolError {
  readonly kind: PrometheusFailureKind;
  readonly endpoint: string;
  readonly query: string;
  readonly errorType?: string;
  readonly status?: number;
  readonly retryable: boolean;

  /** @param what the failure, e.g. `connection refused`; the endpoint and query are appended. */
  constructor(what: string, details: PrometheusErrorDetails) {
    super(
      redactSecrets(`${what} (query ${showQuery(details.query)} at ${details.endpoint})`),
      ['POST', details.endpoint],
      null,
      null,
      undefined,
      details.hint,
    );
    this.name = 'PrometheusQueryError';
    this.kind = details.kind;
    this.endpoint = details.endpoint;
    this.query = redactSecrets(details.query);
    this.errorType = details.errorType;
    this.status = details.status;
    this.retryable = details.retryable;
  }
}
