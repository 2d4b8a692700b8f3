/**
 * Streams one HTTP GET to a file, hashing as it goes, under one overall deadline.
 *
 * node:http/https rather than fetch (undici): fetch refuses URLs with credentials and
 * wraps every network failure in `TypeError: fetch failed`, while node:http reports the
 * errno and OpenSSL codes (ECONNREFUSED, ENOTFOUND, CERT_HAS_EXPIRED …) on the error
 * itself; it never decodes Content-Encoding behind our back, so the bytes on disk are the
 * bytes the service sent; and awaiting each file write gives backpressure, so a 200 MB
 * goroutine dump never sits in memory.
 */
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';

export interface DownloadRequest {
  url: URL;
  headers?: Record<string, string>;
  /** Overall deadline for connect + headers + body, in ms. */
  deadlineMs: number;
  signal?: AbortSignal;
  outputPath: string;
  /** How many leading bytes to keep in memory for sniffing the format. Default 64 KiB. */
  headLimit?: number;
}

export interface DownloadResult {
  status: number;
  headers: IncomingHttpHeaders;
  bytes: number;
  sha256: string;
  /** The first `headLimit` bytes of the body. */
  head: Buffer;
}

/** `disk`: the output file could not be opened or written (ENOSPC, EACCES …). */
export type DownloadFailureReason = 'deadline' | 'aborted' | 'network' | 'disk';

/** Why a download stopped; `bytes` were written to the output file when `phase` is 'body'. */
export class DownloadFailure extends Error {
  constructor(
    readonly reason: DownloadFailureReason,
    readonly phase: 'connect' | 'body',
    readonly bytes: number,
    override readonly cause: unknown,
    readonly status?: number,
  ) {
    super(`download ${reason} during ${phase}`);
    this.name = 'DownloadFailure';
  }

  /** The errno / OpenSSL code of the underlying error (ECONNREFUSED, CERT_HAS_EXPIRED …). */
  get code(): string | undefined {
    const code = (this.cause as { code?: unknown } | null)?.code;
    return typeof code === 'string' ? code : undefined;
  }
}

const DEADLINE = Symbol('deadline');

/**
 * GETs `url` into `outputPath` (created or truncated once a response arrives, whatever its
 * status). Rejects with DownloadFailure; on a body-phase failure the bytes received so far
 * are already on disk.
 */
export async function downloadToFile(req: DownloadRequest): Promise<DownloadResult> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(DEADLINE), req.deadlineMs);
  const onOuterAbort = () => controller.abort(req.signal?.reason);
  req.signal?.addEventListener('abort', onOuterAbort, { once: true });
  if (req.signal?.aborted) onOuterAbort();
  const reasonOf = (): DownloadFailureReason =>
    !controller.signal.aborted ? 'network' : controller.signal.reason === DEADLINE ? 'deadline' : 'aborted';
  try {
    // The body pump is attached inside the response callback, synchronously: a socket that
    // breaks right after the headers destroys the response on the next tick, and anything
    // that arrived is then gone unless someone is already listening.
    return await new Promise<DownloadResult>((resolve, reject) => {
      sendRequest(
        req,
        controller.signal,
        (res) => resolve(writeBody(res, req, controller.signal, reasonOf)),
        (error) => reject(new DownloadFailure(reasonOf(), 'connect', 0, error)),
      );
    });
  } finally {
    clearTimeout(timer);
    req.signal?.removeEventListener('abort', onOuterAbort);
  }
}

function sendRequest(
  req: DownloadRequest,
  signal: AbortSignal,
  onResponse: (res: IncomingMessage) => void,
  onError: (error: unknown) => void,
): void {
  const client = req.url.protocol === 'https:' ? https : http;
  // agent: false → one connection per fetch, closed afterwards: nothing pooled outlives the
  // action. Certificate verification stays on (the https default); it is never turned off.
  const request = client.request(req.url, { method: 'GET', headers: req.headers, signal, agent: false }, onResponse);
  let responded = false;
  request.once('response', () => (responded = true));
  // After a response, errors surface on the response stream instead (writeBody).
  request.on('error', (error) => {
    if (!responded) onError(error);
  });
  request.end();
}

async function writeBody(
  res: IncomingMessage,
  req: DownloadRequest,
  signal: AbortSignal,
  reasonOf: () => DownloadFailureReason,
): Promise<DownloadResult> {
  const hash = createHash('sha256');
  const headLimit = req.headLimit ?? 64 * 1024;
  const headChunks: Buffer[] = [];
  let headBytes = 0;
  let bytes = 0;
  // Opened without awaiting: the pump must be listening before this function first yields.
  const opening = open(req.outputPath, 'w');
  opening.catch(() => {}); // a failed open is reported through the first write or the close below
  const keep = async (chunk: Buffer) => {
    hash.update(chunk);
    try {
      await (await opening).write(chunk);
    } catch (error) {
      throw new DiskError(error);
    }
    bytes += chunk.length;
    if (headBytes < headLimit) {
      const part = chunk.subarray(0, headLimit - headBytes);
      headChunks.push(part);
      headBytes += part.length;
    }
  };
  try {
    await pumpToDisk(res, signal, keep);
    // A socket closed before Content-Length was reached can end the stream without an error.
    if (!res.complete) throw new Error('connection closed before the response was complete');
  } catch (error) {
    if (error instanceof DiskError) throw new DownloadFailure('disk', 'body', bytes, error.cause, res.statusCode);
    throw new DownloadFailure(reasonOf(), 'body', bytes, error, res.statusCode);
  } finally {
    const file = await opening.catch((error: unknown) => {
      throw new DownloadFailure('disk', 'body', bytes, error, res.statusCode);
    });
    await file.close();
  }
  return {
    status: res.statusCode ?? 0,
    headers: res.headers,
    bytes,
    sha256: hash.digest('hex'),
    head: Buffer.concat(headChunks),
  };
}

/** Marks a failure of our own file, so it is not blamed on the network. */
class DiskError extends Error {
  constructor(override readonly cause: unknown) {
    super('write failed');
  }
}

/** Unwritten bytes allowed in memory before the response is paused. */
const MAX_QUEUED_BYTES = 4 * 1024 * 1024;

/**
 * Writes every chunk through `keep`, in order. 'data' events rather than async iteration:
 * when the socket breaks, IncomingMessage is destroyed and a stream destroyed drops its
 * unread buffer, so an iterator would lose bytes that did arrive. Chunks are taken as
 * they come and queued for the disk; the response is paused only while more than
 * MAX_QUEUED_BYTES wait, which bounds memory for a 200 MB dump.
 */
function pumpToDisk(res: IncomingMessage, signal: AbortSignal, keep: (chunk: Buffer) => Promise<void>): Promise<void> {
  return new Promise((resolve, reject) => {
    let queued = 0;
    let writes: Promise<void> = Promise.resolve();
    let writeError: unknown;
    res.on('data', (chunk: Buffer) => {
      queued += chunk.length;
      if (queued > MAX_QUEUED_BYTES) res.pause();
      writes = writes.then(async () => {
        if (writeError !== undefined) return;
        try {
          await keep(chunk);
        } catch (error) {
          writeError = error;
          res.destroy(error as Error);
        }
        queued -= chunk.length;
        if (queued <= MAX_QUEUED_BYTES / 2 && res.isPaused()) res.resume();
      });
    });
    const settle = (streamError?: unknown) => {
      void writes.then(() => {
        const error: unknown = writeError ?? streamError;
        if (error !== undefined) reject(error);
        else resolve();
      });
    };
    res.once('end', () => settle());
    res.once('error', (error) => settle(error));
    // 'close' without 'end' or 'error': the body was cut short.
    res.once('close', () => settle(res.complete ? undefined : new Error('connection closed before the response was complete')));
    // The deadline or a cancel: settle even if the stream reports nothing more.
    if (signal.aborted) settle(signal.reason);
    else signal.addEventListener('abort', () => settle(signal.reason), { once: true });
  });
}
