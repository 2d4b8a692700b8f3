/**
 * Prometheus range queries (`/api/v1/query_range`). Credentials in the base URL travel
 * only as a Basic Authorization header; every message names the endpoint redacted.
 */
import { UsageError } from '../core/errors.js';
import { redactUrl } from '../core/redact.js';
import { parseOutgoingUrl } from './outgoing-url.js';
import { PrometheusQueryError } from './prometheus-error.js';
import { postForm } from './prometheus-http.js';
import { asMatrixData, PromResponseShapeError, seriesOf, type PromMatrixData, type PromSeries } from '../core/prom-matrix.js';
import { parsePromEnvelope } from './prometheus-response.js';
import { chooseStep, PROMETHEUS_MAX_POINTS } from './prometheus-window.js';

export interface QueryRangeRequest {
  /** Base URL of the Prometheus HTTP API (`http://host:9090`, or with a path prefix `…/prometheus`). */
  baseUrl: string;
  expr: string;
  /** Window, unix seconds. */
  start: number;
  end: number;
  /** Asked resolution; widened when the window would exceed `maxPoints` points per series. */
  stepSeconds: number;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Points per series at most (default 11,000, Prometheus' own limit). */
  maxPoints?: number;
  /** Response size cap in bytes (default 64 MiB). */
  maxBytes?: number;
}

export interface QueryRangeResult {
  /** `…/api/v1/query_range`, redacted. */
  endpoint: string;
  /** The step actually used (seconds). */
  stepSeconds: number;
  /** True when the asked step was widened to fit the window (see `maxPoints`). */
  stepWidened: boolean;
  /** Prometheus' `data` as it arrived (values as strings): what gets stored. */
  data: PromMatrixData;
  /** The same series with numeric values. */
  series: PromSeries[];
  /** Prometheus' `warnings` (e.g. partial results from a remote read). */
  warnings: string[];
}

const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;

/**
 * The query_range URL of a Prometheus base URL checked by parseOutgoingUrl (the host as
 * written is the host contacted; credentials move into a Basic auth header). `what`
 * names the URL in messages.
 * @throws UsageError naming the URL (redacted) and what is wrong with it.
 */
export function prometheusEndpoint(
  baseUrl: string,
  what = 'the Prometheus URL',
): { url: URL; endpoint: string; authorization?: string; host: string } {
  const { url, authorization, host } = parseOutgoingUrl(baseUrl, what);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/api/v1/query_range`;
  return { url, endpoint: redactUrl(url.href), authorization, host };
}

/**
 * Runs one range query and returns its matrix.
 *
 * The query goes as a POST form (Prometheus accepts POST with
 * application/x-www-form-urlencoded for query_range, meant for queries too long for a URL).
 * Prometheus' own `timeout` parameter is set to our deadline so it stops evaluating when we
 * stop waiting.
 * @throws PrometheusQueryError (kind says which failure), UsageError for a bad URL or window,
 * InterruptedError when `signal` aborts.
 */
export async function queryRange(req: QueryRangeRequest): Promise<QueryRangeResult> {
  const { url, endpoint, authorization } = prometheusEndpoint(req.baseUrl);
  if (!(req.start < req.end)) throw new UsageError(`range query window is empty: start ${req.start} is not before end ${req.end}`);
  const step = chooseStep({ start: req.start, end: req.end }, req.stepSeconds, req.maxPoints ?? PROMETHEUS_MAX_POINTS);
  const form = new URLSearchParams({
    query: req.expr,
    start: String(req.start),
    end: String(req.end),
    step: String(step.stepSeconds),
    timeout: `${Math.max(1, Math.floor(req.timeoutMs / 1000))}s`,
  });
  const response = await postForm({
    url,
    form,
    headers: authorization ? { authorization } : undefined,
    deadlineMs: req.timeoutMs,
    signal: req.signal,
    maxBytes: req.maxBytes ?? DEFAULT_MAX_BYTES,
    endpoint,
    query: req.expr,
  });
  const base = { endpoint, query: req.expr, status: response.status };
  let envelope;
  try {
    envelope = parsePromEnvelope(response.body);
  } catch (error) {
    if (!(error instanceof PromResponseShapeError)) throw error;
    const statusText = response.status >= 200 && response.status < 300 ? '' : ` and HTTP ${response.status}`;
    throw new PrometheusQueryError(
      `Prometheus answered${statusText} with something it does not send (${response.contentType || 'no content type'}): ${error.message}`,
      {
        ...base,
        kind: response.status >= 200 && response.status < 300 ? error.kind : 'http',
        retryable: response.status >= 500,
        hint: 'is the URL the Prometheus server itself? A login page or a proxy error page means the URL or its credentials are wrong',
      },
    );
  }
  if (!envelope.ok) {
    throw new PrometheusQueryError(`Prometheus refused the query: ${envelope.errorType}: ${envelope.error}`, {
      ...base,
      kind: 'query',
      errorType: envelope.errorType,
      retryable: envelope.errorType === 'timeout' || envelope.errorType === 'unavailable',
      hint:
        envelope.errorType === 'bad_data' ? 'fix the PromQL of this query in the playbook (try it in the Prometheus UI first)' : undefined,
    });
  }
  let data: PromMatrixData;
  try {
    data = asMatrixData(envelope.data);
  } catch (error) {
    if (!(error instanceof PromResponseShapeError)) throw error;
    throw new PrometheusQueryError(`Prometheus answered with an unexpected result: ${error.message}`, {
      ...base,
      kind: 'bad-result',
      retryable: false,
    });
  }
  return { endpoint, stepSeconds: step.stepSeconds, stepWidened: step.widened, data, series: seriesOf(data), warnings: envelope.warnings };
}
