/**
 * The error of a failed pprof fetch. It is a ToolError (exit 1: the action failed, the
 * session goes on) carrying what the caller needs to decide to retry and what to keep.
 */
import { ToolError } from '../core/errors.js';

export interface PprofFetchErrorDetails {
  /** The endpoint, redacted (no userinfo, no token values): safe to log and store. */
  endpoint: string;
  /** Worth trying again later as is (busy CPU profiler, refused connection, timeout). */
  retryable: boolean;
  /** Bytes that arrived before the deadline or the connection broke, kept on disk. */
  partialPath?: string;
  /** The complete response body kept as evidence (an HTML page, a corrupt profile). */
  artifactPath?: string;
  /** HTTP status, when a response arrived. */
  status?: number;
  hint?: string;
}

/** A pprof endpoint could not be fetched, or answered with something that is not the profile. */
export class PprofFetchError extends ToolError {
  readonly endpoint: string;
  readonly retryable: boolean;
  readonly partialPath?: string;
  readonly status?: number;

  constructor(message: string, details: PprofFetchErrorDetails) {
    super(message, ['GET', details.endpoint], null, null, details.partialPath ?? details.artifactPath, details.hint);
    this.name = 'PprofFetchError';
    this.endpoint = details.endpoint;
    this.retryable = details.retryable;
    this.partialPath = details.partialPath;
    this.status = details.status;
  }
}
