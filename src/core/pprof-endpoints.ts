/**
 * The pprof endpoints of Go's net/http/pprof, declared once: the endpoint name (what the
 * playbook's `profile` says and the URL path ends with), the kind name people and files
 * use (`cpu` for `profile`), whether `seconds` is a capture window, which `debug` levels
 * change the answer, the format the response is read as, and what a 404 means.
 *
 * The playbook schema's `profile` enum, `gotriage collect --profiles`, the media type an
 * artifact is stored under, response validation and the "not served" rule derive from
 * this table; it lives in core because the playbook schema (below collect) needs it.
 */
import { MediaType } from './model.js';

/** How a response is checked and read (src/collect/pprof-validate.ts). */
export type PprofFormat = 'pprof-proto' | 'goroutines-text' | 'pprof-text' | 'trace';
export type PprofDebug = '0' | '1' | '2';

interface EndpointSpec {
  /** The name `--profiles`, collect's file names and profile detection use. */
  readonly kind: string;
  /**
   * `?seconds=N` is a capture window: the answer comes after N seconds. The other
   * endpoints take `seconds` too, as a delta profile, but answer at once without it.
   */
  readonly timed: boolean;
  /** Go parses trace's `seconds` as a float, every other one with strconv.ParseInt (and silently uses 30 s on a parse error). */
  readonly fractionalSeconds: boolean;
  /** What the endpoint sends without `debug` (or with debug=0). */
  readonly binary: 'pprof-proto' | 'trace';
  /** What debug=1 and debug=2 send; absent when the handler ignores `debug` (profile, trace). */
  readonly text?: 'goroutines-text' | 'pprof-text';
  /** When set, a 404 means this Go does not serve the endpoint (not a failure); the text says which Go does. */
  readonly notServed?: string;
}

const ENDPOINTS = {
  profile: { kind: 'cpu', timed: true, fractionalSeconds: false, binary: 'pprof-proto' },
  heap: { kind: 'heap', timed: false, fractionalSeconds: false, binary: 'pprof-proto', text: 'pprof-text' },
  allocs: { kind: 'allocs', timed: false, fractionalSeconds: false, binary: 'pprof-proto', text: 'pprof-text' },
  // debug=1 groups identical stacks with counts; debug=2 is every goroutine, panic-style, with its wait state.
  goroutine: { kind: 'goroutine', timed: false, fractionalSeconds: false, binary: 'pprof-proto', text: 'goroutines-text' },
  // Empty unless the service calls runtime.SetMutexProfileFraction / SetBlockProfileRate (pprof-validate.ts says so).
  mutex: { kind: 'mutex', timed: false, fractionalSeconds: false, binary: 'pprof-proto', text: 'pprof-text' },
  block: { kind: 'block', timed: false, fractionalSeconds: false, binary: 'pprof-proto', text: 'pprof-text' },
  threadcreate: { kind: 'threadcreate', timed: false, fractionalSeconds: false, binary: 'pprof-proto', text: 'pprof-text' },
  trace: { kind: 'trace', timed: true, fractionalSeconds: true, binary: 'trace' },
  goroutineleak: {
    kind: 'goroutineleak',
    timed: false,
    fractionalSeconds: false,
    binary: 'pprof-proto',
    text: 'goroutines-text',
    notServed: 'goroutineleak needs Go 1.26 built with GOEXPERIMENT=goroutineleakprofile, or Go 1.27',
  },
} as const satisfies Record<string, EndpointSpec>;

/** An endpoint name: `profile`, `heap`, … `goroutineleak`. */
export type PprofEndpoint = keyof typeof ENDPOINTS;
/** A kind name: `cpu`, `heap`, … `trace`, `goroutineleak`. */
export type PprofKind = (typeof ENDPOINTS)[PprofEndpoint]['kind'];

/** Every endpoint, in the table's order (a zod enum takes it as is). */
export const PPROF_ENDPOINTS = Object.keys(ENDPOINTS) as [PprofEndpoint, ...PprofEndpoint[]];
/** Every kind, in the same order: what `gotriage collect` captures by default. */
export const PPROF_KINDS = PPROF_ENDPOINTS.map((endpoint) => ENDPOINTS[endpoint].kind) as [PprofKind, ...PprofKind[]];

/** One row of the table, with its endpoint name. */
export type PprofEndpointInfo = EndpointSpec & { readonly endpoint: PprofEndpoint; readonly kind: PprofKind };

/** The row for an endpoint name; undefined for a name the table does not know (a custom pprof.NewProfile). */
export function pprofEndpoint(name: string): PprofEndpointInfo | undefined {
  if (!Object.prototype.hasOwnProperty.call(ENDPOINTS, name)) return undefined;
  const endpoint = name as PprofEndpoint;
  return { endpoint, ...ENDPOINTS[endpoint] };
}

/** The row for a kind (`cpu`) or an endpoint name (`profile`): what `--profiles` accepts. */
export function pprofEndpointOfKind(name: string): PprofEndpointInfo | undefined {
  const endpoint = PPROF_ENDPOINTS.find((e) => ENDPOINTS[e].kind === name) ?? (pprofEndpoint(name) ? name : undefined);
  return endpoint === undefined ? undefined : pprofEndpoint(endpoint);
}

/**
 * What a request returns. An endpoint the table does not know is a custom profile, which
 * net/http/pprof serves like the count profiles: proto, or text for debug ≥ 1.
 */
export function pprofFormat(endpoint: string, debug?: PprofDebug): PprofFormat {
  const row = pprofEndpoint(endpoint);
  const text = row ? row.text : endpoint.startsWith('goroutine') ? 'goroutines-text' : 'pprof-text';
  if (text !== undefined && (debug === '1' || debug === '2')) return text;
  return row?.binary ?? 'pprof-proto';
}

/** The media type (core/model.ts) the stored response is analysed as. */
export function pprofMediaType(endpoint: string, debug?: PprofDebug): string {
  switch (pprofFormat(endpoint, debug)) {
    case 'trace':
      return MediaType.trace;
    case 'pprof-proto':
      return MediaType.pprof(endpoint);
    case 'goroutines-text':
      return MediaType.goroutines(debug === '1' ? '1' : '2');
    case 'pprof-text':
      return MediaType.pprofText(endpoint);
  }
}

/** Why a 404 from `endpoint` is not a failure (this Go does not serve it), or undefined when it is one. */
export function notServedReason(endpoint: string, status: number | undefined): string | undefined {
  return status === 404 ? pprofEndpoint(endpoint)?.notServed : undefined;
}

/** `cpu 5s`, `goroutine debug=2`, `heap`: how progress lines and labels name one capture. */
export function describePprofCapture(req: { profile: string; debug?: PprofDebug; seconds?: number }): string {
  const name = pprofEndpoint(req.profile)?.kind ?? req.profile;
  return `${name}${req.debug ? ` debug=${req.debug}` : ''}${req.seconds ? ` ${req.seconds}s` : ''}`;
}
