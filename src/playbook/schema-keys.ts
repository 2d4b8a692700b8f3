/**
 * Which keys a playbook object may have at a given path, read from the zod schema itself
 * so the "did you mean" hint never drifts from schema.ts.
 *
 * zod 4 exposes every schema's definition on `_zod.def` (`type`, `shape`, `element`,
 * `innerType`, `options`, `discriminator`); that is the documented surface for tools that
 * walk schemas, and it is all this file reads.
 */
import type { KeyPath } from './yaml-positions.js';

interface SchemaDef {
  type: string;
  shape?: Record<string, unknown>;
  element?: unknown;
  innerType?: unknown;
  valueType?: unknown;
  options?: unknown[];
  discriminator?: string;
}

function defOf(schema: unknown): SchemaDef | undefined {
  return (schema as { _zod?: { def?: SchemaDef } } | undefined)?._zod?.def;
}

/** Strips default/optional/nullable wrappers, and picks the union branch the data selects. */
function unwrap(schema: unknown, data: unknown): unknown {
  let current = schema;
  for (let guard = 0; guard < 20; guard++) {
    const def = defOf(current);
    if (!def) return current;
    if (def.type === 'default' || def.type === 'optional' || def.type === 'nullable' || def.type === 'prefault') {
      current = def.innerType;
      continue;
    }
    if (def.type === 'union' && def.discriminator && def.options) {
      const tag = (data as Record<string, unknown> | undefined)?.[def.discriminator];
      const branch = def.options.find((option) => {
        const literal = defOf(defOf(option)?.shape?.[def.discriminator!]) as { values?: unknown[] } | undefined;
        return literal?.values?.includes(tag);
      });
      if (!branch) return undefined;
      current = branch;
      continue;
    }
    return current;
  }
  return current;
}

/**
 * The keys allowed for the object at `path` in `root` (the whole playbook data), or an empty
 * list when the path leads somewhere without a fixed shape (a record, an unknown union branch).
 */
export function allowedKeysAt(schema: unknown, root: unknown, path: KeyPath): string[] {
  let current = unwrap(schema, root);
  let data = root;
  for (const part of path) {
    const def = defOf(current);
    data = (data as Record<string | number, unknown> | undefined)?.[part];
    if (def?.type === 'object' && typeof part === 'string') current = def.shape?.[part];
    else if (def?.type === 'array' && typeof part === 'number') current = def.element;
    else if (def?.type === 'record') current = def.valueType;
    else return [];
    current = unwrap(current, data);
  }
  const def = defOf(current);
  return def?.type === 'object' && def.shape ? Object.keys(def.shape) : [];
}

/** Edit distance (insert, delete, substitute, swap neighbours), for typo hints. */
function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    rows.push([]);
    for (let j = 0; j <= b.length; j++) {
      if (i === 0 || j === 0) {
        rows[i]![j] = i + j;
        continue;
      }
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = best;
    }
  }
  return rows[a.length]![b.length]!;
}

/** The closest candidate to a misspelled word, if it is close enough to be a likely typo. */
export function closestMatch(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  // Two edits for ordinary words, one for very short ones (so `id` does not suggest `os`).
  const limit = Math.min(2, Math.max(1, Math.floor(word.length / 3)));
  return bestDistance <= limit ? best : undefined;
}
