/**
 * Answers files: YAML or JSON (JSON is read by the YAML parser, YAML 1.2 being a superset),
 * with flat dotted keys (`alert.summary: …`), nested maps (`alert: {summary: …}`) or both.
 */
import { readFile } from 'node:fs/promises';
import { isMap, isScalar, LineCounter, parseDocument, type Node, type Pair } from 'yaml';
import { UsageError } from '../core/errors.js';
import type { Answer } from './prompter.js';

/** Larger than any answers file a person writes; keeps a wrong path (a core dump) from being parsed. */
const MAX_ANSWERS_FILE_BYTES = 1 << 20;

/**
 * Reads an answers file into `{ 'alert.summary': '…', 'fix.verified': true }`.
 * Numbers keep their source text (`go: 1.20` → "1.20", never "1.2"); values must be
 * strings, booleans or numbers.
 * @throws UsageError naming the file, the line:col and the key.
 */
export async function loadAnswersFile(path: string): Promise<Record<string, Answer>> {
  let text: string;
  try {
    const raw = await readFile(path);
    if (raw.length > MAX_ANSWERS_FILE_BYTES) {
      throw new UsageError(
        `answers file ${path} is ${raw.length} bytes, over the ${MAX_ANSWERS_FILE_BYTES}-byte limit: is it the right file?`,
      );
    }
    text = raw.toString('utf8');
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`cannot read answers file ${path}: ${(error as Error).message}`);
  }
  return parseAnswersText(text, path);
}

/** Parses answers-file text; `path` is only used in error messages. */
export function parseAnswersText(text: string, path: string): Record<string, Answer> {
  const lineCounter = new LineCounter();
  // uniqueKeys (default) reports duplicate keys as errors instead of keeping the last one.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const at = (offset: number | undefined): string => {
    const { line, col } = lineCounter.linePos(offset ?? 0);
    return `${path}:${line}:${col}`;
  };
  const firstError = doc.errors[0];
  if (firstError) {
    throw new UsageError(`${at(firstError.pos[0])}: answers file is not valid YAML or JSON: ${firstError.message.split('\n')[0]}`);
  }
  if (doc.contents === null) return {};
  if (!isMap(doc.contents)) {
    throw new UsageError(`${at(doc.contents.range?.[0])}: answers file must be a map of keys to answers`);
  }
  const answers: Record<string, Answer> = {};
  const flatten = (pairs: Pair[], prefix: string): void => {
    for (const pair of pairs) {
      const keyNode = pair.key as Node | null;
      const key = prefix + scalarText(keyNode, text);
      const value = pair.value as Node | null;
      if (isMap(value)) {
        flatten(value.items, `${key}.`);
        continue;
      }
      if (Object.prototype.hasOwnProperty.call(answers, key)) {
        throw new UsageError(`${at(keyNode?.range?.[0])}: answer '${key}' is given twice (once flat, once nested)`);
      }
      answers[key] = answerValue(value, key, text, at);
    }
  };
  flatten(doc.contents.items, '');
  return answers;
}

function answerValue(node: Node | null, key: string, text: string, at: (o?: number) => string): Answer {
  if (!isScalar(node) || node.value === null) {
    const what = node === null || (isScalar(node) && node.value === null) ? 'empty' : 'a list';
    throw new UsageError(`${at(node?.range?.[0])}: answer '${key}' is ${what}: give a string or true/false`);
  }
  if (typeof node.value === 'boolean') return node.value;
  const value = typeof node.value === 'string' ? node.value : scalarText(node, text);
  // A NUL (raw, or "\0" in a double-quoted YAML string) would be stored and reported as is,
  // and no command argument or C string can carry it.
  if (value.includes('\0')) {
    throw new UsageError(
      `${at(node.range?.[0])}: answer '${key}' contains a NUL byte (\\0)`,
      `remove it from ${key} in the answers file; answers are text`,
    );
  }
  return value;
}

/**
 * A scalar as written: the parsed value for strings, the source text for numbers, so
 * `1.20` stays "1.20" and `0x1F` stays "0x1F" (yaml would give the JS numbers 1.2 and 31).
 */
function scalarText(node: Node | null, text: string): string {
  if (!isScalar(node)) return String((node as { toString?: () => string } | null)?.toString?.() ?? '');
  if (typeof node.value === 'string') return node.value;
  const range = node.range;
  return range ? text.slice(range[0], range[1]) : String(node.value);
}
