/**
 * Fills `{{name}}` placeholders in a PromQL query. PromQL is text, not argv, so a value
 * from an alert label could otherwise change the query: `x"} or vector(1) #` closes a
 * matcher and appends its own expression. Each placeholder is therefore filled according
 * to where it sits in the query:
 *  - inside a "…" or '…' string literal: the value is escaped as a PromQL string
 *    (backslash, the quote, and control characters; PromQL strings use Go's escapes);
 *  - inside a `…` raw string: allowed unless the value holds a backtick (which cannot be escaped);
 *  - outside any string: only a bare token — a number, a duration (`5m`) or a metric or
 *    label name — is allowed; anything else is refused.
 * Values are inserted in one pass, so a value holding `{{x}}` stays literal.
 */
import { UsageError } from '../core/errors.js';
import { describePlaceholderSource } from './interpolate.js';

const PLACEHOLDER = /\{\{\s*([a-zA-Z][a-zA-Z0-9_.]*)\s*\}\}/y;

/** A number, a PromQL duration (1h30m, 5m, 500ms) or a metric / label name. */
const BARE_TOKEN = /^(?:[0-9]+(?:\.[0-9]+)?(?:e[+-]?[0-9]+)?|(?:[0-9]+(?:ms|s|m|h|d|w|y))+|[a-zA-Z_:][a-zA-Z0-9_:]*)$/;

/**
 * The query with placeholders filled. Unknown placeholders and unsafe values throw.
 * @param where names the query for messages, e.g. `action metrics query goroutines`.
 * @throws UsageError naming the placeholder, where its value came from, and why it was refused.
 */
export function fillPromQL(template: string, values: Record<string, string>, where: string): string {
  let out = '';
  let quote: '"' | "'" | '`' | null = null;
  for (let i = 0; i < template.length;) {
    PLACEHOLDER.lastIndex = i;
    const match = PLACEHOLDER.exec(template);
    if (match) {
      out += fillOne(match[1]!, values, quote, where);
      i += match[0].length;
      continue;
    }
    const ch = template[i]!;
    if (quote === null && ch === '#') {
      // A comment runs to the end of the line; quotes in it open no string. Copied as written.
      const end = template.indexOf('\n', i);
      const stop = end < 0 ? template.length : end;
      out += template.slice(i, stop);
      i = stop;
      continue;
    }
    out += ch;
    if (quote === null) {
      if (ch === '"' || ch === "'" || ch === '`') quote = ch;
    } else if (ch === '\\' && quote !== '`' && i + 1 < template.length) {
      out += template[i + 1]; // an escaped character never ends the string
      i += 2;
      continue;
    } else if (ch === quote) {
      quote = null;
    }
    i++;
  }
  return out;
}

function fillOne(name: string, values: Record<string, string>, quote: '"' | "'" | '`' | null, where: string): string {
  const value = Object.prototype.hasOwnProperty.call(values, name) ? values[name] : undefined;
  if (value === undefined) {
    throw new UsageError(
      `${where}: unknown placeholder {{${name}}}: no value was given by ${describePlaceholderSource(name)}`,
      'give the value, or declare the parameter with a default under params: in the playbook',
    );
  }
  if (quote === '"' || quote === "'") return escapePromQLString(value, quote);
  if (quote === '`') {
    if (value.includes('`'))
      throw new UsageError(
        `${where}: the value of {{${name}}} holds a backtick, which a PromQL raw string cannot contain`,
        'put the placeholder inside "…" instead',
      );
    return value;
  }
  if (!BARE_TOKEN.test(value)) {
    throw new UsageError(
      `${where}: {{${name}}} is outside a string literal, and its value ${JSON.stringify(value.slice(0, 60))} is not a plain number, duration or name, so it could change the query`,
      `put the placeholder inside quotes (job="{{${name}}}") so it is escaped as a string`,
    );
  }
  return value;
}

/** Escapes text for a PromQL string literal delimited by `quote`. */
export function escapePromQLString(value: string, quote: '"' | "'" = '"'): string {
  let out = '';
  for (const ch of value) {
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += `\\${quote}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch.charCodeAt(0) < 0x20 || ch === '\u007f') out += `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out;
}
