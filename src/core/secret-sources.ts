/**
 * Where a run learns its secret values (secret-registry.ts): what each source holds and which
 * parts of it are secret. Called by the CLI for flags (`--header`, `--target`, `--param`), by the
 * prompts for answers, and by the placeholder filler for secret environment values.
 */
import { knownSecrets } from './secret-registry.js';
import { isSecretName, isSecretQueryName } from './secret-names.js';

/** A URL in a parameter value: scheme://, then anything up to whitespace or a quote. */
const URL_IN_TEXT = /\b[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s"'<>`]+/g;

/** Registers one secret value as given, and percent-decoded when that differs. */
export function registerSecret(value: string): void {
  knownSecrets.add(value);
  const decoded = safeDecode(value);
  if (decoded !== value) knownSecrets.add(decoded);
}

/**
 * Registers the credentials of every URL in `text`: the password of `user:pass@` (and
 * `user:pass` itself, which a Basic header encodes), a lone `token@` user, and the values of
 * secret-named query and fragment parameters (`?token=…`, `#access_token=…`).
 */
export function registerUrlSecrets(text: string): void {
  for (const [url] of text.matchAll(URL_IN_TEXT)) {
    const rest = url.slice(url.indexOf('://') + 3);
    const authorityEnd = rest.search(/[/?#]/);
    const authority = authorityEnd < 0 ? rest : rest.slice(0, authorityEnd);
    // The userinfo ends at the LAST '@' of the authority (WHATWG), so a raw '@' in a password counts.
    const at = authority.lastIndexOf('@');
    if (at > 0) {
      const userinfo = authority.slice(0, at);
      const colon = userinfo.indexOf(':');
      if (colon < 0) registerSecret(userinfo);
      else {
        registerSecret(userinfo.slice(colon + 1));
        registerSecret(userinfo);
        knownSecrets.add(`${safeDecode(userinfo.slice(0, colon))}:${safeDecode(userinfo.slice(colon + 1))}`);
      }
    }
    const params = authorityEnd < 0 ? '' : rest.slice(authorityEnd);
    for (const part of params.split(/[?#&;]/)) {
      const eq = part.indexOf('=');
      if (eq > 0 && isSecretQueryName(safeDecode(part.slice(0, eq)))) registerSecret(part.slice(eq + 1));
    }
  }
}

/**
 * Registers a `--header 'Name: value'`. Every header value is treated as secret (the README
 * promises they are never stored, logged or printed); an `Authorization`-style value also
 * registers its token alone, and a Basic one its decoded `user:pass` and password.
 */
export function registerHeaderSecret(header: string): void {
  const colon = header.indexOf(':');
  const value = (colon < 0 ? header : header.slice(colon + 1)).trim();
  registerSecret(value);
  const scheme = /^([A-Za-z]+)\s+(\S+)$/.exec(value);
  if (!scheme) return;
  const token = scheme[2]!;
  registerSecret(token);
  if (scheme[1]!.toLowerCase() === 'basic') {
    const userpass = Buffer.from(token, 'base64').toString('utf8');
    const sep = userpass.indexOf(':');
    if (sep >= 0 && !userpass.includes('\uFFFD')) {
      knownSecrets.add(userpass);
      knownSecrets.add(userpass.slice(sep + 1));
    }
  }
}

/**
 * Registers the secrets among placeholder values: the whole value of a secret-named one
 * (`token`, `apiKey`, `db.password`), and the credentials of any URL inside any value. An
 * alert's labels (`label.*`) count by their URLs only: a label is the alerting system's data
 * (`token_bucket="default"`), and its secret-named ones are masked by key where it is kept.
 */
export function registerParamSecrets(params: Readonly<Record<string, string>>): void {
  for (const [name, value] of Object.entries(params)) {
    if (isSecretName(name) && !name.startsWith('label.')) registerSecret(value);
    registerUrlSecrets(value);
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}
