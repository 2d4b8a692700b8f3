/**
 * Every URL gotriage sends a request to — a pprof target, a Prometheus base URL once its
 * placeholders are filled — is parsed here, once, and refused unless the host a reader
 * sees is the host the request reaches.
 *
 * node:http contacts what the WHATWG URL parser makes of the text, and that parser is
 * lenient in ways that move the host: `http://evil.example#@svc.internal` and
 * `http://evil.example\@svc.internal` reach evil.example (a fragment ends the authority;
 * a backslash is a slash), while a person — and redactUrl, which masks up to the last `@`
 * — reads svc.internal. Tabs and newlines are dropped silently, `http:evil` gains its
 * `//`, `%65vil`, `ｅvil` (fullwidth) and `127.1` become other spellings. So the
 * authority is split by RFC 3986's rules as written and compared with what WHATWG
 * will contact; any disagreement is a usage error naming the host it would have reached.
 */
import { UsageError } from '../core/errors.js';
import { redactUrl } from '../core/redact.js';

export interface OutgoingUrl {
  /** What to request: http(s), userinfo removed. */
  url: URL;
  /** `Basic …` from the userinfo, when there was any. */
  authorization?: string;
  /** host[:port] as contacted (WHATWG form): what progress lines and messages show. */
  host: string;
}

export interface OutgoingUrlOptions {
  /** Hint for a refused #fragment (a targets file explains its comment syntax). */
  fragmentHint?: string;
}

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//;
const CLEAR_TEXT_HINT =
  'use https://, or reach the service through a tunnel on this machine (kubectl port-forward, ssh -L) and give http://user:…@127.0.0.1:PORT';

/**
 * Parses and checks one outgoing URL. `what` names it in messages (`--target`,
 * `targets.txt:3`, `action metrics: the Prometheus URL`); no message shows a credential.
 * @throws UsageError for anything but http(s), a fragment, an `@` after the host, a host
 *   that is spelled differently from the one contacted (percent-encoded, non-ASCII,
 *   shortened IPv4, control characters, backslashes), an IPv6 zone, and credentials that
 *   cannot be sent as written (see {@link checkCredentials}).
 */
export function parseOutgoingUrl(text: string, what: string, options: OutgoingUrlOptions = {}): OutgoingUrl {
  const contacted = whatwgHost(text);
  const wouldContact = contacted ? `: it would contact ${contacted}` : '';
  const control = /[\u0000-\u001f\u007f]/.exec(text);
  if (control) {
    refuse(
      what,
      `the URL contains a control character (${escapeChar(control[0])} at offset ${control.index}), which URL parsing drops silently${wouldContact}`,
      'remove it (a tab or line break pasted along?)',
    );
  }
  if (/\s/.test(text)) refuse(what, 'not a URL: it contains a space', 'percent-encode a space in a path as %20, or remove it');
  if (/^https?:(?!\/\/)/i.test(text)) {
    // WHATWG adds the missing // for http(s) (`http:evil` → http://evil/); RFC 3986 reads a path.
    refuse(what, `"${text.slice(0, text.indexOf(':') + 1)}" must be followed by //${wouldContact}`, 'write it like http://host:port');
  }
  const scheme = SCHEME.exec(text)?.[1]?.toLowerCase();
  // Without `scheme://` nothing marks where userinfo ends (`admin:hunter2@host` parses as
  // scheme `admin:`), so such text is never echoed: it may be a credential.
  if (scheme === undefined) refuse(what, 'not a URL: it must start with http:// or https://', 'write it like http://host:port');
  if (scheme !== 'http' && scheme !== 'https') refuse(what, `must be http:// or https://, got ${scheme}:// (${redactUrl(text)})`);
  if (text.includes('\\'))
    refuse(what, `the URL contains a backslash, which URL parsing reads as "/"${wouldContact}`, 'write / if a path is meant');

  const written = splitAuthority(text.slice(scheme.length + 3));
  if (written.rest.includes('#'))
    refuse(what, `the URL has a #fragment, which is never sent${wouldContact}`, options.fragmentHint ?? 'remove the # and what follows');
  if (written.rest.includes('@'))
    refuse(what, `the URL has an @ after its host (in the path or query)${wouldContact}`, 'an @ in a path or query must be written %40');
  if (written.host.startsWith('[') && written.host.includes('%')) {
    refuse(what, 'an IPv6 zone (%eth0) cannot be given in a URL', 'use the global address of the interface, or a host name for it');
  }

  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return refuse(what, `not a URL: ${redactUrl(text)}`, 'write it like http://host:port');
  }
  checkHost(what, written.host, url);
  const authorization = written.userinfo === undefined ? undefined : checkCredentials(what, url);
  url.username = '';
  url.password = '';
  return { url, authorization, host: url.host };
}

function refuse(what: string, problem: string, hint?: string): never {
  throw new UsageError(`${what}: ${problem}`, hint);
}

/** `user:pass@host:port` / `/path?q` split by RFC 3986: the authority ends at the first `/`, `?` or `#`, the userinfo at its last `@`. */
function splitAuthority(afterScheme: string): { userinfo?: string; host: string; rest: string } {
  const end = afterScheme.search(/[/?#]/);
  const authority = end < 0 ? afterScheme : afterScheme.slice(0, end);
  const rest = end < 0 ? '' : afterScheme.slice(end);
  const at = authority.lastIndexOf('@');
  const hostPort = at < 0 ? authority : authority.slice(at + 1);
  const host = hostPort.startsWith('[') ? hostPort.slice(0, hostPort.indexOf(']') + 1 || undefined) : hostPort.replace(/:[^:]*$/, '');
  return { userinfo: at < 0 ? undefined : authority.slice(0, at), host, rest };
}

function checkHost(what: string, written: string, url: URL): void {
  const contacted = url.host;
  if (url.hostname === '' || written === '') refuse(what, `the URL has no host${contacted ? `: it would contact ${contacted}` : ''}`);
  // An IPv6 literal WHATWG accepted is the same address however it is written ([0:0::1] = [::1]).
  if (written.startsWith('[') && url.hostname.startsWith('[')) return;
  if (written.includes('%'))
    refuse(what, `the host is percent-encoded: it would contact ${contacted}`, `write the host as plain text: ${url.hostname}`);
  // Control characters were refused earlier: anything outside printable ASCII is a Unicode character.
  if (/[^ -~]/.test(written)) {
    refuse(
      what,
      `the host is not plain ASCII (${escapeNonAscii(written)}): it would contact ${contacted}`,
      `write the host the way it is contacted (${url.hostname}) if that is the one you mean`,
    );
  }
  if (written.toLowerCase() !== url.hostname) {
    refuse(
      what,
      `the host as written (${written}) is not the host it would contact (${url.hostname})`,
      `write ${url.hostname} if that is the one you mean`,
    );
  }
}

/**
 * The userinfo as a Basic Authorization value (RFC 7617), refused when it cannot be sent
 * as written: empty, not valid percent-encoding, a `:` in the user name or a control
 * character (Basic cannot carry them), or plain http to anything but this machine (the
 * password would cross the network in clear text).
 */
function checkCredentials(what: string, url: URL): string {
  if (url.username === '' && url.password === '') refuse(what, 'the URL has an @ but no user name or password before it', 'remove the @');
  let user = '';
  let pass = '';
  try {
    user = decodeURIComponent(url.username);
    pass = decodeURIComponent(url.password);
  } catch {
    refuse(what, 'the credentials in the URL are not valid percent-encoding', 'write a % in a user name or password as %25');
  }
  if (user.includes(':')) refuse(what, 'the user name in the URL contains a colon, which HTTP basic auth (RFC 7617) cannot carry');
  if (/[\u0000-\u001f\u007f]/.test(user + pass))
    refuse(what, 'the credentials in the URL contain a control character, which HTTP basic auth (RFC 7617) cannot carry');
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    refuse(what, `the URL would send its credentials in clear text to ${url.host} over http://`, CLEAR_TEXT_HINT);
  }
  return `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
}

/** localhost (RFC 6761), 127.0.0.0/8 and [::1]: traffic that never leaves this machine. */
export function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname.endsWith('.localhost') || /^127\.\d+\.\d+\.\d+$/.test(hostname) || hostname === '[::1]';
}

/** The host WHATWG would contact, for messages; undefined when it cannot parse the text. */
function whatwgHost(text: string): string | undefined {
  try {
    const url = new URL(text);
    return url.host || undefined;
  } catch {
    return undefined;
  }
}

function escapeChar(char: string): string {
  return `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`;
}

/** Non-ASCII shown as \u escapes: a lookalike or a bidi override is visible as what it is. */
function escapeNonAscii(text: string): string {
  return [...text].map((c) => (c.charCodeAt(0) > 0x7e ? `\\u{${c.codePointAt(0)!.toString(16)}}` : c)).join('');
}
