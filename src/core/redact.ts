/**
 * Secret redaction for everything that leaves a process boundary: logs, error messages,
 * stored argv, reports. Every function here is idempotent (redacting twice gives the same
 * text as redacting once) and works on the text as written — we never re-serialise a URL
 * through `new URL()`, because WHATWG serialisation rewrites hosts, paths and escapes and
 * would make the redacted evidence differ from what the tool actually saw.
 *
 * Two kinds of rule: the secret values this run knows (secret-registry.ts: flags, secret
 * parameters and answers), masked first and in every encoding; then the patterns below, which
 * recognise a secret nobody told us about by its shape.
 */
import { knownSecrets, MASK } from './secret-registry.js';
import { isSecretFlag, isSecretQueryName, SECRET_COLON_KEY, SECRET_PAIR_KEY } from './secret-names.js';

export { MASK };

/** scheme://  — RFC 3986 scheme syntax. */
const SCHEME_PREFIX = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;

/**
 * A URL inside free text: scheme://, then anything up to whitespace, a quote or angle
 * bracket. Trailing sentence punctuation is trimmed separately (see {@link redactSecrets}).
 */
const URL_IN_TEXT = /\b[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s"'<>`]+/g;
const TRAILING_PUNCTUATION = /[.,;:!?)\]}]+$/;

const SECRET_HEADER_NAMES =
  'authorization|proxy-authorization|cookie|set-cookie|x-api-key|x-auth-token|api-key|private-token|x-amz-security-token';

/**
 * Header-style secrets come in three shapes, handled in this order:
 * JSON (`"authorization": "Bearer …"`: the quoted value is masked, quotes kept),
 * a whole quoted header (`-H "Authorization: Bearer …"`: masked up to the closing quote),
 * and a bare header line (`Cookie: …`: masked to the end of the line). The bare form must
 * not follow a quote, or it would re-match the quoted form's output and eat the rest of the line.
 */
const SECRET_HEADER_JSON = new RegExp(String.raw`(["'])(${SECRET_HEADER_NAMES})\1(\s*:\s*)(["'])(?:(?!\4)[^\n])*\4`, 'gi');
const SECRET_HEADER_QUOTED = new RegExp(String.raw`(["'])(${SECRET_HEADER_NAMES})(\s*:[ \t]*)(?:(?!\1)[^\n])*\1`, 'gi');
const SECRET_HEADER_LINE = new RegExp(String.raw`(?<!["'\w-])(${SECRET_HEADER_NAMES})(\s*:[ \t]*)[^\n]*`, 'gi');

/** `Bearer <token>` / `Basic <token>` anywhere (curl -H values, error messages). */
const AUTH_SCHEME_TOKEN = /\b(Bearer|Basic|Token|Digest)\s+[A-Za-z0-9._~+/=-]{4,}/g;

/**
 * The value of a secret pair: quoted (a JSON string with its `\"` escapes, or single quotes), or
 * bare. A bare value runs to whitespace or `& , ;`, across JSON escapes (`Ab\"Wm4` in a
 * serialised argv) and across a quote that more of the value follows (`--token=Ab"Wm4` in a
 * log line): only a quote that ends the text, a word or a JSON member ends it, so the whole
 * value is masked, never just the part before its first quote. A `{{placeholder}}` is not a
 * value: messages about playbooks (`--token={{token}}`) stay readable.
 */
const PAIR_VALUE = String.raw`(?!["']?\{\{)("(?:\\.|[^"\\\n])*"|'[^'\n]*'|(?:\\["'\\/bfnrtu]|[^\s&,;"'\\]|["'](?=[^\s&,;:"'\]})]))+)`;

/**
 * `key=value` / `key: value` where the key names a secret. `=` pairs match any key that
 * contains a secret word (`GITHUB_TOKEN=…`, `--password=…`) but does not name where the secret
 * is kept (`TOKEN_FILE=/run/secrets/t`, `--password-path=…`: passing a secret by file is what we
 * ask for); `:` pairs only keys that end with one (`password: …`, `"api_token": "…"`) so ordinary
 * prose stays readable.
 */
const SECRET_EQ_PAIR = new RegExp(
  String.raw`(["']?)\b([A-Za-z0-9_.-]*(?:${SECRET_PAIR_KEY})[A-Za-z0-9_.-]*)(?<![-_.](?:file|path|dir|id)s?)\1(\s*=\s*)${PAIR_VALUE}`,
  'gi',
);
const SECRET_COLON_PAIR = new RegExp(String.raw`(["']?)\b([A-Za-z0-9_.-]*(?:${SECRET_COLON_KEY}))\1(\s*:\s*)${PAIR_VALUE}`, 'gi');

/** `--password=…` / `-token=…` as one argv element: everything after `=` is the value. */
const FLAG_WITH_VALUE = /^(--?[A-Za-z0-9][A-Za-z0-9_.-]*)=/;

/**
 * Redact one URL: drop the userinfo (`user:pass@` → `***@`) and mask the values of query
 * (and fragment) parameters whose name looks secret (`token`, `access_token`, `api_key`,
 * `X-Amz-Signature`, …). Text that is not a `scheme://` URL is returned unchanged.
 *
 * The userinfo ends at the LAST `@` before the first `/`, `?` or `#` — the same rule the
 * WHATWG URL parser applies, so a raw `@` inside a password is still covered.
 */
export function redactUrl(urlText: string): string {
  const url = knownSecrets.mask(urlText);
  const scheme = SCHEME_PREFIX.exec(url);
  if (!scheme) return url;
  const prefix = scheme[0];
  let rest = url.slice(prefix.length);

  const authorityEnd = firstIndexOfAny(rest, '/?#');
  const authority = rest.slice(0, authorityEnd);
  const at = authority.lastIndexOf('@');
  if (at >= 0) rest = `${MASK}@${rest.slice(at + 1)}`;

  const hashAt = rest.indexOf('#');
  const beforeHash = hashAt >= 0 ? rest.slice(0, hashAt) : rest;
  const fragment = hashAt >= 0 ? rest.slice(hashAt + 1) : undefined;
  const queryAt = beforeHash.indexOf('?');
  const path = queryAt >= 0 ? beforeHash.slice(0, queryAt) : beforeHash;
  const query = queryAt >= 0 ? beforeHash.slice(queryAt + 1) : undefined;

  let out = prefix + path;
  if (query !== undefined) out += '?' + maskSecretParams(query);
  // OAuth implicit flow puts `access_token=` in the fragment.
  if (fragment !== undefined) out += '#' + maskSecretParams(fragment);
  return out;
}

/**
 * Redact secrets in free text: every `scheme://` URL (see {@link redactUrl}), header values of
 * `Authorization`, `Proxy-Authorization`, `Cookie`, `Set-Cookie` and API-key headers,
 * `Bearer <token>`, and `password=…`-style pairs — after every value the run knows is secret
 * (secret-registry.ts), in any encoding. Safe to call on already-redacted text.
 */
export function redactSecrets(text: string): string {
  let out = knownSecrets.mask(text).replace(URL_IN_TEXT, (match) => {
    const trailing = TRAILING_PUNCTUATION.exec(match)?.[0] ?? '';
    return redactUrl(match.slice(0, match.length - trailing.length)) + trailing;
  });
  out = out.replace(SECRET_HEADER_JSON, (_m, q: string, name: string, sep: string, vq: string) => `${q}${name}${q}${sep}${vq}${MASK}${vq}`);
  out = out.replace(SECRET_HEADER_QUOTED, (_m, q: string, name: string, sep: string) => `${q}${name}${sep}${MASK}${q}`);
  out = out.replace(SECRET_HEADER_LINE, (_m, name: string, sep: string) => `${name}${sep}${MASK}`);
  out = out.replace(AUTH_SCHEME_TOKEN, (_m, scheme: string) => `${scheme} ${MASK}`);
  out = out.replace(SECRET_EQ_PAIR, replacePairValue);
  out = out.replace(SECRET_COLON_PAIR, replacePairValue);
  return out;
}

/**
 * Like {@link redactSecrets}, for a piece cut out of a longer text (the head of a file, the tail
 * of stderr, a title shortened to fit): a known secret the cut went through is masked too, though
 * only part of it is left at the cut end.
 */
export function redactCut(text: string, cut: { start?: boolean; end?: boolean }): string {
  return redactSecrets(knownSecrets.maskCut(text, cut));
}

/**
 * Redact an argument vector for logging or storage. Each element goes through
 * {@link redactSecrets}; in addition the element after a bare secret flag
 * (`--password hunter2`, `-token abc`) is masked, because Go's `flag` package and most
 * CLIs accept the value as the next argument, and a secret flag's `=value` is masked whole,
 * quotes and all (an argv element has no surrounding text to stop at).
 */
export function redactArgv(argv: readonly string[]): string[] {
  return argv.map((arg, i) => {
    const previous = i > 0 ? argv[i - 1] : undefined;
    if (previous !== undefined && isSecretFlag(previous)) return MASK;
    const flag = FLAG_WITH_VALUE.exec(arg);
    if (flag && isSecretFlag(flag[1]!)) return `${flag[1]}=${MASK}`;
    return redactSecrets(arg);
  });
}

function replacePairValue(_m: string, q: string, key: string, sep: string, value: string): string {
  const quote = value.startsWith('"') ? '"' : value.startsWith("'") ? "'" : '';
  return `${q}${key}${q}${sep}${quote}${MASK}${quote}`;
}

/** Mask values of secret-looking names in an `a=1&b=2` (or `;`-separated) parameter list. */
function maskSecretParams(params: string): string {
  return params
    .split(/([&;])/)
    .map((part) => {
      const eq = part.indexOf('=');
      if (eq < 0) return part;
      const name = safeDecode(part.slice(0, eq));
      return isSecretQueryName(name) ? `${part.slice(0, eq)}=${MASK}` : part;
    })
    .join('');
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

function firstIndexOfAny(text: string, chars: string): number {
  for (let i = 0; i < text.length; i++) {
    if (chars.includes(text[i] as string)) return i;
  }
  return text.length;
}
