/**
 * Turns zod issues into messages an on-call engineer can act on, each aimed at the YAML node
 * to edit: the key for an unknown key, the value for a wrong type.
 */
import type { z } from 'zod';
import { redactSecrets } from '../core/redact.js';
import { allowedKeysAt, closestMatch } from './schema-keys.js';
import type { KeyPath, PlaybookPositions, PositionTarget } from './yaml-positions.js';

export interface PlaybookProblem {
  path: KeyPath;
  target: PositionTarget;
  message: string;
}

type Issue = z.core.$ZodIssue;

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping (key: value lines)',
  record: 'a mapping (key: value lines)',
};

function valueAt(root: unknown, path: KeyPath): unknown {
  let current = root;
  for (const part of path) current = (current as Record<string | number, unknown> | null | undefined)?.[part];
  return current;
}

/** "the number 1.2", "a list", "nothing": how YAML read what was written. */
function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing (an empty value)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the string ${JSON.stringify(redactSecrets(value))}`;
  return `the ${typeof value} ${JSON.stringify(value)}`;
}

function quote(items: readonly unknown[]): string {
  return items.map((item) => `'${String(item)}'`).join(', ');
}

/** A wrong-type message; for a number or boolean where text is meant, shows what was written. */
function wrongType(expected: readonly string[], value: unknown, written: string | undefined): string {
  const want = expected.map((name) => TYPE_NAMES[name] ?? name).join(' or ');
  if (expected.includes('string') && (typeof value === 'number' || typeof value === 'boolean')) {
    // YAML 1.2 reads a plain 1.20 as the float 1.2 and `true` as a boolean; the schema wants
    // the text, so show the source text and the quoted form that keeps it.
    const text = written?.trim() || String(value);
    const readAs =
      text === String(value) ? `got the ${typeof value} ${text}` : `but ${text} is read as the ${typeof value} ${String(value)}`;
    return `expected ${want}, ${readAs} — quote it: "${text}"`;
  }
  if (expected.includes('number') && typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) {
    return `expected ${want}, got the string ${JSON.stringify(value)} — remove the quotes`;
  }
  return `expected ${want}, got ${describeValue(value)}`;
}

function bound(issue: Issue & { code: 'too_small' | 'too_big' }): string {
  const limit = String(issue.code === 'too_small' ? issue.minimum : issue.maximum);
  const words = issue.code === 'too_small' ? (issue.inclusive ? 'at least' : 'more than') : issue.inclusive ? 'at most' : 'less than';
  if (issue.origin === 'string')
    return issue.code === 'too_small' && limit === '1' ? 'must not be empty' : `must be ${words} ${limit} characters long`;
  if (issue.origin === 'array') return `must have ${words} ${limit} items`;
  return `must be ${words} ${limit}`;
}

/** Problems for one zod issue (an unrecognized_keys issue yields one per key). */
function describeIssue(issue: Issue, schema: unknown, data: unknown, positions: PlaybookPositions): PlaybookProblem[] {
  const path = issue.path.filter((part): part is string | number => typeof part !== 'symbol');
  const value = valueAt(data, path);
  const last = path[path.length - 1];
  switch (issue.code) {
    case 'unrecognized_keys': {
      const allowed = allowedKeysAt(schema, data, path);
      return issue.keys.map((key) => {
        const guess = closestMatch(key, allowed);
        const hint = guess ? ` (did you mean '${guess}'?)` : allowed.length ? ` (allowed here: ${allowed.join(', ')})` : '';
        return { path: [...path, key], target: 'key' as const, message: `unknown key '${key}'${hint}` };
      });
    }
    case 'invalid_type':
      if (value === undefined && !positions.has(path)) {
        return [
          { path, target: 'key', message: `missing required key '${String(last)}' (${TYPE_NAMES[issue.expected] ?? issue.expected})` },
        ];
      }
      return [{ path, target: 'value', message: wrongType([issue.expected], value, positions.sourceText(path)) }];
    case 'invalid_union': {
      if ('discriminator' in issue && issue.discriminator) {
        const options = (issue as { options?: unknown[] }).options ?? [];
        if (value === undefined)
          return [{ path, target: 'key', message: `missing required key '${issue.discriminator}' (one of ${quote(options)})` }];
        return [{ path, target: 'value', message: `${issue.discriminator} must be one of ${quote(options)}, got ${describeValue(value)}` }];
      }
      // A union of plain types (e.g. string | boolean): name them all in one message.
      const expected = issue.errors.flatMap((branch) =>
        branch.filter((inner) => inner.code === 'invalid_type').map((inner) => (inner as { expected: string }).expected),
      );
      if (expected.length === issue.errors.length)
        return [{ path, target: 'value', message: wrongType(expected, value, positions.sourceText(path)) }];
      return [{ path, target: 'value', message: `${describeValue(value)} matches none of the allowed forms` }];
    }
    case 'invalid_value': {
      if (value === undefined)
        return [{ path, target: 'key', message: `missing required key '${String(last)}' (one of ${quote(issue.values)})` }];
      const guess = typeof value === 'string' ? closestMatch(value, issue.values.map(String)) : undefined;
      const hint = guess ? ` (did you mean '${guess}'?)` : '';
      const allowed = issue.values.length === 1 ? `must be ${quote(issue.values)}` : `must be one of ${quote(issue.values)}`;
      return [{ path, target: 'value', message: `${allowed}, got ${describeValue(value)}${hint}` }];
    }
    case 'invalid_format': {
      // Our own regex messages (schema.ts) explain the format; zod's default names the regexp.
      const explain = issue.message.startsWith('Invalid string') ? `must match ${issue.pattern ?? issue.format}` : issue.message;
      return [{ path, target: 'value', message: `${describeValue(value)} is not valid here: ${explain}` }];
    }
    case 'invalid_key': {
      const inner = issue.issues[0];
      const explain =
        inner && !inner.message.startsWith('Invalid string') ? inner.message : 'use letters, digits and _, starting with a letter';
      return [{ path, target: 'key', message: `'${String(last)}' is not a valid name here: ${explain}` }];
    }
    case 'too_small':
    case 'too_big':
      return [{ path, target: 'value', message: `${bound(issue)}, got ${describeValue(value)}` }];
    default:
      return [{ path, target: 'value', message: issue.message }];
  }
}

/** All problems of a failed parse, in document order (so the first is the first to fix). */
export function describeSchemaIssues(
  issues: readonly Issue[],
  schema: unknown,
  data: unknown,
  positions: PlaybookPositions,
): PlaybookProblem[] {
  const problems = issues.flatMap((issue) => describeIssue(issue, schema, data, positions));
  const order = (problem: PlaybookProblem) => {
    const pos = positions.locate(problem.path, problem.target);
    return pos.line * 1e6 + pos.col;
  };
  return problems.sort((a, b) => order(a) - order(b));
}
