/**
 * Which names mark a value as secret. Kept apart from the redaction mechanics so the list
 * can grow without touching the patterns. Erring towards masking is deliberate: a masked
 * page number costs nothing, a leaked token costs an incident.
 */

/**
 * Query-parameter names whose value is always masked (compared lower-case, after
 * percent-decoding). Covers OAuth, common API-key spellings, S3 / GCS presigned URLs
 * (`X-Amz-Signature`, `X-Goog-Signature`) and Azure SAS (`sig`).
 */
const SECRET_QUERY_NAMES = new Set([
  'token',
  'access_token',
  'refresh_token',
  'id_token',
  'auth_token',
  'private_token',
  'api_key',
  'apikey',
  'api-key',
  'key',
  'password',
  'passwd',
  'pwd',
  'pass',
  'secret',
  'client_secret',
  'auth',
  'authorization',
  'signature',
  'sig',
  'code',
  'session',
  'sessionid',
  'session_id',
  'jwt',
  'x-amz-signature',
  'x-amz-credential',
  'x-amz-security-token',
  'x-goog-signature',
  'x-goog-credential',
]);

/** Words that make any query name secret when they appear inside it (`my_api_token`). */
const SECRET_QUERY_WORDS = /token|secret|passw|signature|credential|api[-_]?key|[-_]key$|[-_]sig$/i;

/**
 * Alternation (regex source) of words that mark a `key=value` / `key: value` pair in free
 * text as secret. `pwd` is left out on purpose: `PWD=/home/me` in an env dump is not one.
 */
export const SECRET_PAIR_KEY = String.raw`passw(?:or)?d|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credentials?|signature`;

/**
 * The same words for `key: value` pairs, without `signature`: in colon form it describes a
 * check, not a credential — OpenSSL's `UNABLE_TO_VERIFY_LEAF_SIGNATURE: self-signed …`, Go's
 * `x509: invalid signature: parent certificate …` — and masking its "value" ate the very words
 * that say what went wrong. A presigned URL's signature is a query parameter, masked as such.
 */
export const SECRET_COLON_KEY = String.raw`passw(?:or)?d|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credentials?`;

/**
 * Short names that are secret on their own or as the last part of a name (`db.pass`, `x.cookie`).
 * Not `key`, `auth` or `sig`: `cache_key`, `auth: enabled` are ordinary, and a secret name makes
 * its value masked everywhere and refused in command arguments.
 */
const SECRET_SHORT_NAME = /(?:^|[._-])(?:pass|pwd|authorization|cookie|jwt|apikey)$/i;

/**
 * True when a parameter, answer or environment variable with this name holds a secret whatever
 * its value looks like: `token`, `apiKey`, `DB_PASSWORD`, `alert.secret`, `client.key`.
 */
export function isSecretName(name: string): boolean {
  if (NAMES_A_PLACE.test(name)) return false;
  return new RegExp(`(?:${SECRET_PAIR_KEY})`, 'i').test(name) || SECRET_SHORT_NAME.test(name);
}

/** `tokenFile`, `TOKEN_FILE`, `password-path`, `keyId`: where a secret is kept or which one, not the secret. */
const NAMES_A_PLACE = /[-_.](?:file|path|dir|id)s?$|[a-z0-9](?:File|Path|Dir|Id)s?$/i;

/** True when a query/fragment parameter with this (decoded) name carries a secret. */
export function isSecretQueryName(name: string): boolean {
  const lower = name.toLowerCase();
  return SECRET_QUERY_NAMES.has(lower) || SECRET_QUERY_WORDS.test(lower);
}

/**
 * True for a bare flag (no `=value`) whose next argument is a secret: `--password`,
 * `-token`, `--api-key`, `--client-secret`. Go's flag package accepts both `-x v` and
 * `--x v`, so one or two dashes are treated alike.
 */
export function isSecretFlag(arg: string): boolean {
  const flag = /^--?([A-Za-z0-9][A-Za-z0-9_.-]*)$/.exec(arg);
  if (!flag?.[1]) return false;
  // `--token-file PATH` names where the secret is kept, which is how it should be passed.
  if (/[-_.](?:file|path|dir|id)s?$/i.test(flag[1])) return false;
  return new RegExp(`(?:${SECRET_PAIR_KEY})`, 'i').test(flag[1]) || /^(?:pass|pwd|auth|key|sig)$/i.test(flag[1]);
}
