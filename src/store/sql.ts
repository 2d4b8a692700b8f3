/**
 * Small helpers shared by the table modules: a per-connection statement cache and
 * JSON columns that never carry a secret.
 */
import type Database from 'better-sqlite3';
import { MASK, redactSecrets } from '../core/redact.js';

const cache = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/** The prepared statement for `sql` on `db`, compiled once per connection. */
export function statement(db: Database.Database, sql: string): Database.Statement {
  let perDb = cache.get(db);
  if (!perDb) {
    perDb = new Map();
    cache.set(db, perDb);
  }
  let prepared = perDb.get(sql);
  if (!prepared) {
    prepared = db.prepare(sql);
    perDb.set(sql, prepared);
  }
  return prepared;
}

/**
 * Text bound for the database, with URL credentials, token parameters and
 * Authorization headers removed (the store is the last line before disk).
 */
export function redactText(text: string): string {
  return redactSecrets(text);
}

/** Same as redactText for a nullable column. */
export function redactNullable(text: string | null | undefined): string | null {
  return text === null || text === undefined ? null : redactSecrets(text);
}

/**
 * Object keys whose string value is a secret whatever it looks like (`{"token": "abc"}`).
 * Narrower than the query-name list of redact.ts on purpose: snapshot keys such as `key`
 * or `code` are ordinary data here, and masking them would corrupt a resumed machine.
 */
const SECRET_JSON_KEY = /token|secret|passw|credential|api[-_]?key|^(?:proxy-)?authorization$|^cookie$/i;

/**
 * JSON for a column with every string value redacted (and masked outright under a
 * secret-named key); `undefined` is stored as `null`. Strings are redacted one by one
 * rather than redacting the serialised text, which could cut through an escaped quote.
 */
export function redactedJson(value: unknown): string {
  const json = JSON.stringify(value, (key, v: unknown) => {
    if (typeof v !== 'string') return v;
    return key !== '' && SECRET_JSON_KEY.test(key) ? MASK : redactSecrets(v);
  });
  return json ?? 'null';
}

/** Parses a JSON column written by redactedJson. */
export function parseJson<T>(json: string): T {
  return JSON.parse(json) as T;
}
