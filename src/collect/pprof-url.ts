/**
 * Builds the URL of a pprof endpoint from a target checked by parseOutgoingUrl, and splits
 * credentials out of it so they travel only in the Authorization header, never in
 * anything printed or stored.
 */
import { UsageError } from '../core/errors.js';
import { pprofEndpoint, PPROF_ENDPOINTS } from '../core/pprof-endpoints.js';
import { redactUrl } from '../core/redact.js';
import { parseOutgoingUrl } from './outgoing-url.js';

export interface PprofUrlRequest {
  targetUrl: string;
  pprofBase?: string;
  profile: string;
  debug?: '0' | '1' | '2';
  seconds?: number;
}

export interface PprofUrl {
  /** The URL to request, without userinfo. */
  url: URL;
  /** `Basic …` from the target's userinfo, when it had any. */
  authorization?: string;
  /** The URL redacted for messages, logs and the database. */
  endpoint: string;
}

export const DEFAULT_PPROF_BASE = '/debug/pprof';

/** Profile names net/http/pprof serves are Go identifiers; anything else is a mistake or an injection. */
const PROFILE_NAME = /^[A-Za-z0-9_.-]+$/;

/**
 * target + base + profile (+ `debug`, `seconds`). The base may be written with or without
 * its leading and trailing slash (`user/debug/pprof/` = `/user/debug/pprof`).
 * @throws UsageError for a target parseOutgoingUrl refuses, a bad profile name or seconds value.
 */
export function buildPprofUrl(req: PprofUrlRequest): PprofUrl {
  const { url, authorization } = parseOutgoingUrl(req.targetUrl, 'pprof target');
  if (!PROFILE_NAME.test(req.profile)) {
    throw new UsageError(`not a pprof profile name: ${JSON.stringify(req.profile)} (e.g. ${PPROF_ENDPOINTS.join(', ')})`);
  }
  const base = normaliseBase(req.pprofBase ?? DEFAULT_PPROF_BASE);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}${base}/${req.profile}`;
  if (req.debug !== undefined && req.debug !== '0') url.searchParams.set('debug', req.debug);
  if (req.seconds !== undefined) url.searchParams.set('seconds', secondsParam(req.profile, req.seconds));
  return { url, authorization, endpoint: redactUrl(url.href) };
}

/** `user/debug/pprof/` → `/user/debug/pprof`; `/` or '' → '' (profiles at the root). */
export function normaliseBase(base: string): string {
  const trimmed = base.trim().replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? '' : `/${trimmed}`;
}

/**
 * net/http/pprof parses `seconds` with strconv.ParseInt for profile and delta profiles and
 * silently uses 30 s on a parse error; only trace parses a float. So fractions are refused
 * where Go would misread them.
 */
function secondsParam(profile: string, seconds: number): string {
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new UsageError(`seconds must be a positive number, got ${seconds}`);
  }
  if (!(pprofEndpoint(profile)?.fractionalSeconds ?? false) && !Number.isInteger(seconds)) {
    throw new UsageError(`seconds for '${profile}' must be a whole number (Go parses it as an integer), got ${seconds}`);
  }
  return String(seconds);
}
