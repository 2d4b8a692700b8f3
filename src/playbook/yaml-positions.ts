/**
 * Maps a key path inside a parsed YAML document (e.g. `steps.gather.actions[2].timout`)
 * back to a 1-based line:col in the source, so every playbook error can point at the
 * exact spot the engineer has to edit.
 */
import { isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

export type KeyPath = readonly (string | number)[];

export interface SourcePosition {
  line: number;
  col: number;
}

/** Which part of a `key: value` pair an error is about. */
export type PositionTarget = 'key' | 'value';

export interface PlaybookPositions {
  /**
   * Position of the node at `path`: its key (`target: 'key'`, for unknown keys) or its
   * value (`'value'`, for wrong types). A path that is not in the document (a missing key,
   * a default filled by the schema) falls back to the deepest ancestor that is.
   */
  locate(path: KeyPath, target?: PositionTarget): SourcePosition;
  /** The text exactly as written for the value at `path`, when that node exists. */
  sourceText(path: KeyPath): string | undefined;
  /** Whether `path` names a node actually written in the document. */
  has(path: KeyPath): boolean;
  /** 1-based line:col of a character offset in the source. */
  at(offset: number): SourcePosition;
}

/** `['steps', 'gather', 'actions', 2, 'timout']` → `steps.gather.actions[2].timout`. */
export function formatKeyPath(path: KeyPath): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? part : `.${part}`;
  }
  return out;
}

interface Step {
  key?: Node;
  value?: Node;
}

/** Follows one path segment from a collection node; keys are compared as the text zod saw. */
function stepInto(node: Node | undefined, part: string | number): Step | undefined {
  if (isMap(node)) {
    for (const pair of node.items) {
      const keyNode = pair.key as Node | null;
      // toJS turns every map key into a string (`1.20:` becomes "1.2"), so compare that way.
      const keyText = isScalar(keyNode) ? String(keyNode.value) : undefined;
      if (keyText === String(part)) return { key: keyNode ?? undefined, value: (pair.value as Node | null) ?? undefined };
    }
    return undefined;
  }
  if (isSeq(node) && typeof part === 'number') {
    const item = node.items[part] as Node | undefined;
    return item ? { value: item } : undefined;
  }
  return undefined;
}

/** Builds the position lookup for one parsed document and the LineCounter that read it. */
export function createPositions(doc: Document, source: string, lineCounter: LineCounter): PlaybookPositions {
  const at = (offset: number): SourcePosition => {
    const pos = lineCounter.linePos(Math.max(0, Math.min(offset, source.length)));
    return { line: pos.line, col: pos.col };
  };
  const root = doc.contents ?? undefined;

  const walk = (path: KeyPath): { found: boolean; step: Step; lastNode: Node | undefined } => {
    let step: Step = { value: root };
    let lastNode = root;
    for (const part of path) {
      const next = stepInto(step.value, part);
      if (!next) return { found: false, step, lastNode };
      step = next;
      // A key written with an empty value (`title:`) still has a key node to point at.
      lastNode = next.value?.range ? next.value : (next.key ?? lastNode);
    }
    return { found: true, step, lastNode };
  };

  const offsetOf = (node: Node | undefined) => node?.range?.[0];

  return {
    at,
    has: (path) => walk(path).found,
    locate(path, target = 'value') {
      const { found, step, lastNode } = walk(path);
      let offset: number | undefined;
      if (found) {
        offset = target === 'key' ? (offsetOf(step.key) ?? offsetOf(step.value)) : (offsetOf(step.value) ?? offsetOf(step.key));
        // `key:` with nothing after it: yaml gives the null value a zero-width range at the
        // end of the line; the key is where the engineer looks.
        if (target === 'value' && isScalar(step.value) && step.value.value === null && step.key) offset = offsetOf(step.key);
      } else {
        // Missing: point at the key of the nearest written ancestor, not at its whole body.
        offset = offsetOf(step.key) ?? offsetOf(lastNode);
      }
      return at(offset ?? 0);
    },
    sourceText(path) {
      const { found, step } = walk(path);
      const range = found ? step.value?.range : undefined;
      return range ? source.slice(range[0], range[1]) : undefined;
    },
  };
}
