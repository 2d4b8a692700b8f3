/**
 * Markdown-safe text helpers for the postmortem. Every value that comes from an incident
 * (alert text, tool output, stack traces, user answers) passes through one of these before it
 * reaches the Markdown, so the data can never add a heading, a link, an image, a table column or
 * close a code block. Each value is first redacted (the run's known secrets and the patterns) and
 * its terminal and bidi controls are written visibly (`\x1b`, `\u202e`: a report is read in a
 * terminal as often as in a browser, and U+202E reorders what a reviewer sees in both).
 * Pure functions; rules cite the CommonMark 0.31 spec and GFM where relied on.
 */
import { redactSecrets } from '../core/redact.js';
import { knownSecrets } from '../core/secret-registry.js';
import { escapeTerminal } from '../core/terminal-text.js';

/** CommonMark treats `\r\n`, `\r` and `\n` alike as line endings (spec §2.1). */
const LINE_ENDING = /\r\n|\r|\n/g;

/** Longest run of `ch` in `text` (0 when absent). */
function longestRun(text: string, ch: string): number {
  let longest = 0;
  let run = 0;
  for (const c of text) {
    run = c === ch ? run + 1 : 0;
    if (run > longest) longest = run;
  }
  return longest;
}

/** Letters and digits on both sides of `_` keep it from opening or closing emphasis (spec §6.2). */
const WORD_CHAR = /[\p{L}\p{N}]/u;

/**
 * Escapes one line of inline text. Always escaped: `\` (else data could escape our escapes),
 * `` ` `` (code spans), `*` (emphasis works intraword), `[` `]` (links and images cannot form
 * without them, so `[x](javascript:…)` and `![](https://evil/)` stay text), `<` (raw HTML and
 * autolinks), `|` (GFM table cells), `~` (GFM strikethrough). Escaped where at risk: `_` next to
 * a non-word character, `!` before `[`, `(` after `]`, `&` that would start an entity reference.
 */
function escapeInline(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const prev = text[i - 1] ?? ' ';
    const next = text[i + 1] ?? ' ';
    switch (c) {
      case '\\':
      case '`':
      case '*':
      case '[':
      case ']':
      case '<':
      case '|':
      case '~':
        out += '\\' + c;
        break;
      case '_':
        out += WORD_CHAR.test(prev) && WORD_CHAR.test(next) ? c : '\\_';
        break;
      case '!':
        out += next === '[' ? '\\!' : c;
        break;
      case '(':
        out += prev === ']' ? '\\(' : c;
        break;
      case '&':
        // `&amp;`, `&#39;`, `&#x27;` are entity references (spec §2.5): keep them literal text.
        out += /^&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{0,31});/.test(text.slice(i)) ? '\\&' : c;
        break;
      default:
        out += c;
    }
  }
  return escapeBlockStart(escapeTrailingHashes(out));
}

/**
 * A line starting with `#`, `>`, `-`, `+`, `*`, `=`, or digits then `.`/`)` would open a heading,
 * quote, list, thematic break or setext underline (spec §4, §5). Our output is always one line
 * that a template may place at a line start, so the start is escaped.
 */
function escapeBlockStart(text: string): string {
  if (/^[#>+\-=]/.test(text)) return '\\' + text;
  const ordered = /^(\d{1,9})([.)])/.exec(text);
  if (ordered) return ordered[1] + '\\' + ordered[2] + text.slice(ordered[0].length);
  return text;
}

/** A heading's closing sequence (` ##` at the end, spec §4.2) would be dropped from the title. */
function escapeTrailingHashes(text: string): string {
  return text.replace(/(^|\s)(#+)(\s*)$/, (_m, pre: string, hashes: string, post: string) => `${pre}\\${hashes}${post}`);
}

/** Newlines become single spaces and the ends are trimmed: an inline value is always one line. */
function toOneLine(text: string): string {
  return text
    .replace(LINE_ENDING, ' ')
    .replace(/[ \t]+/g, ' ')
    .trim();
}

/**
 * Inline Markdown text: newlines collapsed to spaces, structure-changing punctuation escaped.
 * Rendered, the result reads exactly as the input with its newlines turned into spaces.
 */
export function markdownInline(value: unknown): string {
  return escapeInline(escapeTerminal(toOneLine(stringify(value))));
}

/**
 * A GFM table cell: like {@link markdownInline}; `|` is escaped there too, and the value stays
 * on one line (a line break would end the table row), so the row keeps its column count.
 */
export function markdownCell(value: unknown): string {
  return markdownInline(value);
}

/**
 * An inline code span whose backtick fence is longer than any backtick run inside, padded with a
 * space when the content starts or ends with a backtick or a space (spec §6.1 strips one space
 * from each side when both are present). Newlines become spaces: a line break inside the span
 * would let the next line start a block before inline parsing happens. Empty input → ''.
 */
export function markdownCode(value: unknown): string {
  const text = escapeTerminal(stringify(value).replace(LINE_ENDING, ' '));
  if (text === '') return '';
  const fence = '`'.repeat(longestRun(text, '`') + 1);
  const pad = /^[` ]|[` ]$/.test(text) && text.trim() !== '' ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/**
 * A fenced code block showing `value` exactly as the tool printed it: the fence is a backtick run
 * longer than the longest one in the data (at least 3), so no line of the data can close it
 * (spec §4.5). Code block content is literal — no escapes, no entities — so nothing is encoded.
 * `\r\n` and lone `\r` are written as `\n`, which is how a CommonMark parser reads them anyway.
 * The result has no trailing newline; place it on its own line in a template.
 */
export function markdownCodeBlock(value: unknown, info = ''): string {
  const text = escapeTerminal(stringify(value).replace(LINE_ENDING, '\n'));
  const fence = '`'.repeat(Math.max(3, longestRun(text, '`') + 1));
  // The info string of a backtick fence may not contain a backtick (spec §4.5); one word is enough.
  const lang = (info.trim().split(/\s+/)[0] ?? '').replace(/[^A-Za-z0-9_+.#-]/g, '');
  const body = text === '' || text.endsWith('\n') ? text : text + '\n';
  return `${fence}${lang}\n${body}${fence}`;
}

/**
 * The last pass over a rendered report before it is written (the report writer's sink): the
 * run's known secrets masked and any control character escaped, whatever a template printed
 * without a helper. The pattern rules are not applied to the whole text: they would read our
 * own headings and table separators as `key: value` pairs; the helpers applied them to the data.
 */
export function finishReport(markdown: string): string {
  return escapeTerminal(knownSecrets.mask(markdown));
}

/**
 * The value as text, redacted (strings one by one, on the raw text, before anything is escaped).
 * Callers turn line endings into what they need first, then escape the remaining controls.
 */
function stringify(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return redactSecrets(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' ? redactSecrets(v) : v));
}
