/**
 * Reads a playbook file: size limit, UTF-8, YAML with positions, then the zod schema.
 * Every problem becomes a PlaybookError at file:line:col (1-based) so the engineer can jump
 * straight to it; nothing here runs a tool or creates a session.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { isScalar, LineCounter, parseAllDocuments, type Document } from 'yaml';
import { PlaybookError, UsageError } from '../core/errors.js';
import { redactSecrets } from '../core/redact.js';
import { playbookSchema, type Playbook } from './schema.js';
import { describeSchemaIssues } from './schema-issues.js';
import { createPositions, formatKeyPath, type PlaybookPositions } from './yaml-positions.js';

/** Playbooks are small hand-written files; anything bigger is a mistake or an attack. */
export const MAX_PLAYBOOK_BYTES = 256 * 1024;

export interface LoadedPlaybook {
  playbook: Playbook;
  /** Absolute path of the file read. */
  path: string;
  /** sha256 (hex) of the file's bytes, recorded with the session so a resume can tell it changed. */
  sha256: string;
  /** The file's text as parsed (UTF-8, without a byte-order mark). */
  source: string;
}

/** A loaded playbook plus the map back to source positions, for checks beyond the schema. */
export interface LoadedPlaybookDocument {
  loaded: LoadedPlaybook;
  positions: PlaybookPositions;
}

function readPlaybookBytes(path: string): Buffer {
  let size: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile())
      throw new UsageError(`playbook ${path} is not a file`, 'pass the path of a .yaml playbook or a built-in playbook name');
    size = stat.size;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const what =
      code === 'ENOENT' ? 'not found' : code === 'EACCES' ? 'not readable (permission denied)' : `not readable (${code ?? String(error)})`;
    throw new UsageError(`playbook ${path} ${what}`, 'check the path, or pass a built-in playbook name such as go-service');
  }
  // Checked before reading so a huge file is never pulled into memory.
  if (size > MAX_PLAYBOOK_BYTES) {
    throw new PlaybookError(
      `playbook is ${size} bytes, over the ${MAX_PLAYBOOK_BYTES / 1024} KiB limit for playbook files; split it or remove generated content`,
      path,
      1,
      1,
    );
  }
  return readFileSync(path);
}

function decodeUtf8(bytes: Buffer, path: string): string {
  try {
    // fatal: a Latin-1 file would otherwise turn into U+FFFD characters silently.
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    // yaml counts a byte-order mark as a column on line 1; drop it so columns match editors.
    return text.startsWith('\uFEFF') ? text.slice(1) : text;
  } catch {
    const bad = firstInvalidUtf8Offset(bytes);
    const before = bytes.subarray(0, bad).toString('utf8');
    const line = before.split('\n').length;
    const col = before.length - before.lastIndexOf('\n');
    throw new PlaybookError('file is not valid UTF-8 text; save it as UTF-8', path, line, col);
  }
}

function firstInvalidUtf8Offset(bytes: Buffer): number {
  // Non-streaming decodes of one character at a time: each call is stateless, and the fatal
  // decoder rejects overlong forms and surrogates as well as stray bytes.
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let offset = 0;
  while (offset < bytes.length) {
    const lead = bytes[offset]!;
    const length = lead < 0x80 ? 1 : (lead & 0xe0) === 0xc0 ? 2 : (lead & 0xf0) === 0xe0 ? 3 : (lead & 0xf8) === 0xf0 ? 4 : 0;
    if (length === 0) return offset;
    try {
      decoder.decode(bytes.subarray(offset, offset + length));
    } catch {
      return offset;
    }
    offset += length;
  }
  return offset;
}

/** The one source line around an error, with a caret under the column. */
function excerpt(source: string, line: number, col: number): string {
  // A playbook may carry a URL with credentials in a default; errors must not repeat it.
  const text = redactSecrets((source.split(/\r?\n/)[line - 1] ?? '').replace(/\t/g, '→'));
  if (text.trim() === '') return '';
  return `\n    ${text}\n    ${' '.repeat(Math.max(0, col - 1))}^`;
}

function parseSingleDocument(source: string, path: string, lineCounter: LineCounter): Document {
  // uniqueKeys is the yaml default, set explicitly because duplicate keys must be errors.
  const docs = parseAllDocuments(source, { lineCounter, uniqueKeys: true, prettyErrors: false });
  if (docs.length === 0)
    throw new PlaybookError('playbook is empty: expected a mapping with apiVersion, name, title and steps', path, 1, 1);
  for (const doc of docs) {
    // yaml keeps parsing after an error; the first one is the cause, later ones often follow from it.
    const problem = doc.errors[0] ?? doc.warnings[0];
    if (problem) {
      const { line, col } = lineCounter.linePos(problem.pos[0]);
      const message = problem.message.replace(/ at line \d+, column \d+[\s\S]*$/, '');
      throw new PlaybookError(`${message} (YAML ${problem.code})${excerpt(source, line, col)}`, path, line, col);
    }
  }
  const second = docs[1];
  if (second) {
    const { line, col } = lineCounter.linePos(second.range[0]);
    throw new PlaybookError(
      'a playbook file holds one YAML document, but a second one starts here (remove the `---` separator or split the file)',
      path,
      line,
      col,
    );
  }
  return docs[0]!;
}

/**
 * Parses playbook text into a validated Playbook, keeping positions for later checks.
 * @param source the file text; `path` is used for error messages only.
 */
export function parsePlaybookSource(source: string, path: string): { playbook: Playbook; positions: PlaybookPositions } {
  const lineCounter = new LineCounter();
  const doc = parseSingleDocument(source, path, lineCounter);
  const positions = createPositions(doc, source, lineCounter);
  const root = doc.contents;
  if (root === null || (isScalar(root) && root.value === null)) {
    throw new PlaybookError('playbook has no content: expected a mapping with apiVersion, name, title and steps', path, 1, 1);
  }
  let data: unknown;
  try {
    // maxAliasCount bounds alias expansion (a "billion laughs" document) — yaml's own guard.
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    throw new PlaybookError(`cannot read the document: ${(error as Error).message}`, path, 1, 1);
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    const { line, col } = positions.locate([]);
    const got = Array.isArray(data) ? 'a list' : `the ${typeof data} ${JSON.stringify(data)}`;
    throw new PlaybookError(`a playbook is a mapping (apiVersion:, name:, title:, steps:), but this document is ${got}`, path, line, col);
  }
  const result = playbookSchema.safeParse(data);
  if (!result.success) {
    const problems = describeSchemaIssues(result.error.issues, playbookSchema, data, positions);
    const [first, ...rest] = problems;
    if (!first) throw new PlaybookError(result.error.message, path, 1, 1);
    const { line, col } = positions.locate(first.path, first.target);
    const more = rest.map((problem) => {
      const pos = positions.locate(problem.path, problem.target);
      return `\n${path}:${pos.line}:${pos.col}: ${formatKeyPath(problem.path)}: ${problem.message}`;
    });
    throw new PlaybookError(
      `${formatKeyPath(first.path)}: ${first.message}${excerpt(source, line, col)}${more.join('')}`,
      path,
      line,
      col,
      formatKeyPath(first.path),
    );
  }
  return { playbook: result.data, positions };
}

/** Loads a playbook file and keeps the map back to source positions (validate.ts uses it). */
export function loadPlaybookDocument(file: string): LoadedPlaybookDocument {
  const path = resolve(file);
  const bytes = readPlaybookBytes(path);
  const source = decodeUtf8(bytes, path);
  const { playbook, positions } = parsePlaybookSource(source, path);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  return { loaded: { playbook, path, sha256, source }, positions };
}

/**
 * Loads and schema-checks a playbook file.
 * @throws UsageError when the file is missing or unreadable; PlaybookError (file:line:col) for
 * anything wrong inside it.
 */
export function loadPlaybook(file: string): LoadedPlaybook {
  return loadPlaybookDocument(file).loaded;
}
