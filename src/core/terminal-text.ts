/**
 * Text from incidents (log lines, alert titles, tool output, file names) made safe to show on a
 * terminal or in a report: every character that could drive a terminal or reorder what is read
 * is written as a visible escape instead, the way kubectl's printers.WriteEscaped keeps an ESC
 * in a pod's log from reaching the user's terminal. Unlike kubectl (which prints ESC as `^[`)
 * the escapes here are the ones a programmer reads back: `\x1b`, `\r`, `\u202e`.
 *
 * Escaped:
 *  - C0 controls except tab and newline (ESC starts CSI/OSC sequences — colours, cursor moves,
 *    OSC 8 hyperlinks, window titles; a lone CR or BS overwrites what was printed), and DEL;
 *  - C1 controls U+0080–U+009F (U+009B is an 8-bit CSI, U+009D an 8-bit OSC);
 *  - the Unicode bidirectional controls (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069):
 *    "Trojan Source" (CVE-2021-42574) — U+202E makes `exe.txt` read as `txt.exe`;
 *  - the line and paragraph separators U+2028/U+2029, which some viewers break lines at.
 *
 * A backslash is left alone: the escaped form is for reading, not for decoding back, so a log
 * line that already contains the text `\x1b` reads the same as one that contained ESC.
 */

/** Everything escaped (see the file comment); CR before LF is a line ending, not an overwrite. */
const UNSAFE = /\r(?!\n)|[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069]/g;

/** The same set minus the C0 range, which JSON.stringify already writes as `\u00XX`. */
const UNSAFE_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069]/g;

function visible(ch: string): string {
  const code = ch.charCodeAt(0);
  if (ch === '\r') return '\\r';
  if (code < 0x80) return `\\x${code.toString(16).padStart(2, '0')}`;
  return `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * `text` with every terminal control and bidi control written as a visible escape (`\x1b`,
 * `\r`, `\u202e`); tabs and newlines are kept, and so is CR before LF. Idempotent.
 */
export function escapeTerminal(text: string): string {
  return text.replace(UNSAFE, visible);
}

/**
 * JSON text with the characters JSON.stringify leaves raw but a terminal would obey (DEL, C1,
 * bidi controls, U+2028/U+2029) written as `\uXXXX`. Those characters can only occur inside JSON
 * strings, where `\uXXXX` is a valid escape of the same character: the result parses to the very
 * same value. C0 controls need nothing, JSON.stringify already escapes them.
 */
export function escapeJsonForTerminal(json: string): string {
  return json.replace(UNSAFE_IN_JSON, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
