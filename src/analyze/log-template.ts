/**
 * Message templates: the variable parts of a log message replaced by placeholders, so
 * `timeout after 31ms` and `timeout after 2s` are one problem seen twice. Secrets are
 * masked first (redactSecrets), so a token never survives in a template or a finding.
 */
import { redactCut } from '../core/redact.js';

/** Messages are cut here before templating: a template names a problem, not a payload. */
const MAX_MESSAGE = 500;

// Order matters: quoted text and pairs first (they may hold anything), then the shapes
// that contain digits (UUID, address, hex, duration) before bare numbers.
const RULES: readonly [RegExp, string][] = [
  [/"(?:[^"\\]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`[^`\n]*`/g, '"<str>"'],
  // logfmt-style attributes inside text messages (`upstream=payments`): the value varies.
  [/\b([A-Za-z_][\w.-]*)=(?!<)[^\s,;)\]]+/g, '$1=<val>'],
  [/\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b/g, '<uuid>'],
  [/\[[0-9a-fA-F:.]*:[0-9a-fA-F:.]*\](?::\d{1,5})?/g, '<ip>'],
  [/\b\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?\b/g, '<ip>'],
  [/\b0[xX][0-9a-fA-F]+\b/g, '<hex>'],
  // Trace ids, digests, commit hashes: long hex runs with at least one digit.
  [/\b(?=[0-9a-fA-F]*\d)[0-9a-fA-F]{12,}\b/g, '<hex>'],
  // time.Duration.String(): 31ms, 2s, 1m30s, 1.5µs, 2h0m0s.
  [/(?<![\w.])(?:\d+(?:\.\d+)?(?:ns|us|µs|μs|ms|s|m|h))+(?![\w.])/g, '<duration>'],
  [/(?<![\w.])[-+]?\d+(?:\.\d+)?(?:e[-+]?\d+)?(?![\w])/g, '<num>'],
];

/** The template of one message (redacted, variable parts replaced, whitespace collapsed). */
export function messageTemplate(message: string): string {
  // Cut first (a line can be megabytes), then redact knowing where it was cut: a known secret
  // the cut went through leaves a piece of itself at the end, which is masked too.
  let text = redactCut(message.slice(0, MAX_MESSAGE), { end: message.length > MAX_MESSAGE });
  for (const [pattern, replacement] of RULES) text = text.replace(pattern, replacement);
  return text.replace(/\s+/g, ' ').trim();
}
