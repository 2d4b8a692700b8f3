/**
 * One POST to the Prometheus HTTP API under one overall deadline, with the body read
 * into memory up to a cap (a range query answer is JSON we must parse whole anyway).
 *
 * node:http/https rather than fetch, as in http-download.ts: node:http reports the errno
 * and OpenSSL codes (ECONNREFUSED, ENOTFOUND, CERT_HAS_EXPIRED …) on the error itself, so
 * each failure gets its own message; certificate verification stays on.
 */
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { InterruptedError } from '../core/errors.js';
import { redactSecrets } from '../core/redact.js';
import { PrometheusQueryError } from './prometheus-error.js';

export interface PostFormRequest {
  url: URL;
  /** Sent as application/x-www-form-urlencoded. */
  form: URLSearchParams;
  headers?: Record<string, string>;
  deadlineMs: number;
  signal?: AbortSignal;
  /** Larger bodies are refused. */
  maxBytes: number;
  /** For messages: the redacted endpoint and the query. */
  endpoint: string;
  query: string;
}

export interface PostFormResponse {
  status: number;
  contentType: string;
  body: string;
}

const DEADLINE = Symbol('deadline');
const TOO_LARGE = Symbol('too-large');

const UNTRUSTED_CERT = /SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/;
const TLS_HINT = 'add the CA with NODE_EXTRA_CA_CERTS=/path/to/ca.pem; gotriage never turns certificate checks off';

/** POSTs the form and resolves with the whole body; rejects with PrometheusQueryError or InterruptedError. */
export async function postForm(req: PostFormRequest): Promise<PostFormResponse> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(DEADLINE), req.deadlineMs);
  const onOuterAbort = () => controller.abort(req.signal?.reason);
  req.signal?.addEventListener('abort', onOuterAbort, { once: true });
  if (req.signal?.aborted) onOuterAbort();
  try {
    return await new Promise<PostFormResponse>((resolve, reject) => {
      const body = req.form.toString();
      const client = req.url.protocol === 'https:' ? https : http;
      const request = client.request(
        req.url,
        {
          method: 'POST',
          signal: controller.signal,
          agent: false, // one connection per query, closed afterwards: nothing outlives the action
          headers: {
            ...req.headers,
            'content-type': 'application/x-www-form-urlencoded',
            'content-length': String(Buffer.byteLength(body)),
            accept: 'application/json',
          },
        },
        (res) =>
          void readBody(res, req.maxBytes, controller).then(resolve, (error: unknown) => reject(describe(error, controller.signal, req))),
      );
      request.on('error', (error) => reject(describe(error, controller.signal, req)));
      request.end(body);
    });
  } finally {
    clearTimeout(timer);
    req.signal?.removeEventListener('abort', onOuterAbort);
  }
}

function readBody(res: IncomingMessage, maxBytes: number, controller: AbortController): Promise<PostFormResponse> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    res.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > maxBytes) {
        controller.abort(TOO_LARGE);
        return;
      }
      chunks.push(chunk);
    });
    res.once('end', () =>
      resolve({
        status: res.statusCode ?? 0,
        contentType: String(res.headers['content-type'] ?? ''),
        body: Buffer.concat(chunks).toString('utf8'),
      }),
    );
    res.once('error', reject);
    res.once('close', () => {
      if (!res.complete)
        reject(controller.signal.aborted ? controller.signal.reason : new Error('connection closed before the response was complete'));
    });
  });
}

/** A failure on the wire → the error the user reads. */
function describe(error: unknown, signal: AbortSignal, req: PostFormRequest): Error {
  const base = { endpoint: req.endpoint, query: req.query };
  if (signal.aborted && signal.reason === TOO_LARGE) {
    return new PrometheusQueryError(`Prometheus answered with more than ${req.maxBytes} bytes`, {
      ...base,
      kind: 'too-large',
      retryable: false,
      hint: 'the query selects too many series: aggregate it (sum by (instance) (…)) or add label matchers',
    });
  }
  if (signal.aborted && signal.reason === DEADLINE) {
    return new PrometheusQueryError(`Prometheus did not answer within ${req.deadlineMs} ms`, {
      ...base,
      kind: 'timeout',
      retryable: true,
      hint: "Prometheus may be overloaded or the query too expensive; raise the action's timeout or widen its step",
    });
  }
  if (signal.aborted) return new InterruptedError(`Prometheus query ${req.endpoint} was cancelled`);
  const code = (error as { code?: unknown } | null)?.code;
  const text = redactSecrets(error instanceof Error ? error.message : String(error));
  if (code === 'ECONNREFUSED') {
    return new PrometheusQueryError('cannot reach Prometheus: connection refused', {
      ...base,
      kind: 'refused',
      retryable: true,
      hint: "is Prometheus running, and is the action's prometheus URL (e.g. --param prometheusUrl=http://host:9090) right?",
    });
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') {
    return new PrometheusQueryError(`cannot resolve the Prometheus host ${req.url.hostname} (DNS ${code})`, {
      ...base,
      kind: 'dns',
      retryable: code === 'EAI_AGAIN',
      hint: 'check the host name in the prometheus URL',
    });
  }
  if (typeof code === 'string' && (code.startsWith('CERT_') || code.startsWith('ERR_TLS_') || UNTRUSTED_CERT.test(code))) {
    return new PrometheusQueryError(`TLS certificate of Prometheus is not accepted (${code})`, {
      ...base,
      kind: 'tls',
      retryable: false,
      hint: TLS_HINT,
    });
  }
  return new PrometheusQueryError(`network error talking to Prometheus (${typeof code === 'string' ? `${code}: ` : ''}${text})`, {
    ...base,
    kind: 'network',
    retryable: true,
  });
}
