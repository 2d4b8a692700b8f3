/**
 * Where to collect from: a targets file (one URL per line) and request headers given on
 * the command line. Credentials are allowed in both — userinfo in a URL, a token in an
 * Authorization header — and no message here ever prints them.
 */
import { readFileSync, statSync } from 'node:fs';
import { UsageError } from '../core/errors.js';
import { redactSecrets, redactUrl } from '../core/redact.js';
import { parseOutgoingUrl } from './outgoing-url.js';
import { authorizationTwice } from './pprof-http.js';

/** A targets file is a list of URLs; anything bigger is a mistake (a log, a binary). */
export const MAX_TARGETS_FILE_BYTES = 1024 * 1024;

/**
 * Checks one target URL (src/collect/outgoing-url.ts: http(s), the host as written is the
 * host contacted, no fragment, credentials only where they can be sent) and returns it as written.
 * @throws UsageError naming `where` (e.g. `targets.txt:3`), never printing a credential.
 */
export function parseTarget(text: string, where: string): string {
  parseOutgoingUrl(text, where, { fragmentHint: 'to comment, start the line with #, or put # after a space' });
  return text;
}

/**
 * Parses targets-file text: one URL per line; blank lines and `#` comments (whole-line,
 * or after whitespace) are ignored; a target listed twice is an error.
 * @throws UsageError `file:line: …` for the first bad line.
 */
export function parseTargetsText(text: string, file: string): string[] {
  const targets: string[] = [];
  const firstLine = new Map<string, number>();
  text.split(/\r?\n/).forEach((raw, index) => {
    const lineNo = index + 1;
    // ` #` starts a comment; a `#` inside a URL with no space before it is a fragment, refused by parseTarget.
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (line === '') return;
    const where = `${file}:${lineNo}`;
    if (/\s/.test(line)) throw new UsageError(`${where}: one URL per line, found several words: ${redactSecrets(line)}`);
    const target = parseTarget(line, where);
    const seen = firstLine.get(target);
    if (seen !== undefined) throw new UsageError(`${where}: ${redactUrl(target)} is already listed on line ${seen}`);
    firstLine.set(target, lineNo);
    targets.push(target);
  });
  if (targets.length === 0) throw new UsageError(`${file}: no targets in the file (one URL per line; # starts a comment)`);
  return targets;
}

/** Reads a targets file (`--targets-file`). @throws UsageError for a missing, huge or bad file. */
export function loadTargetsFile(path: string): string[] {
  let text: string;
  try {
    if (statSync(path).size > MAX_TARGETS_FILE_BYTES) throw new UsageError(`targets file ${path} is larger than 1 MiB`);
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`cannot read targets file ${path}: ${(error as Error).message}`);
  }
  return parseTargetsText(text, path);
}

/** RFC 9110 token characters: what a header name may be made of. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Headers the HTTP client sets itself; overriding them breaks the request. */
const RESERVED_HEADERS = new Set(['host', 'content-length', 'transfer-encoding', 'connection']);

/**
 * Parses one `--header 'Name: value'`. The value may hold a secret, so errors never
 * quote it.
 * @throws UsageError for a missing colon, a bad name, a reserved header or a CR/LF/NUL.
 */
export function parseHeaderFlag(text: string): { name: string; value: string } {
  const colon = text.indexOf(':');
  const hint = "write it as --header 'Name: value', e.g. --header 'Authorization: Bearer <token>'";
  if (colon <= 0) throw new UsageError('--header needs a name and a value separated by a colon', hint);
  const name = text.slice(0, colon).trim();
  const value = text.slice(colon + 1).trim();
  if (!HEADER_NAME.test(name))
    throw new UsageError(`--header name ${JSON.stringify(redactSecrets(name))} is not a valid HTTP header name`, hint);
  if (RESERVED_HEADERS.has(name.toLowerCase())) throw new UsageError(`--header ${name} cannot be set: the HTTP client sets it`);
  // A CR or LF would let the value start another header (request splitting); node:http refuses it later anyway.
  if (/[\r\n\0]/.test(value)) throw new UsageError(`--header ${name}: the value contains a line break or NUL`, hint);
  if (value === '') throw new UsageError(`--header ${name}: the value is empty`, hint);
  return { name, value };
}

/** Many `--header` flags → one header record (a repeated name keeps the last value). */
export function parseHeaderFlags(flags: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const flag of flags) {
    const { name, value } = parseHeaderFlag(flag);
    headers[name.toLowerCase()] = value;
  }
  return headers;
}

/**
 * Refuses `--header 'Authorization: …'` together with a target that carries `user:password@`:
 * only one Authorization can be sent, and dropping either silently would log in as someone
 * other than the user meant (fetchPprof refuses the pair too, for callers that skip this).
 * @throws UsageError naming the first such target by the host it contacts.
 */
export function checkAuthorizationOnce(targets: readonly string[], headers: Readonly<Record<string, string>>): void {
  if (!Object.keys(headers).some((name) => name.toLowerCase() === 'authorization')) return;
  for (const target of targets) {
    const { url, authorization } = parseOutgoingUrl(target, '--target');
    if (authorization) throw authorizationTwice(url.host);
  }
}
