/**
 * The one place an answer is checked against its question, whoever gave it: an answers
 * file, a flag, a default, or a person at the prompt. Both prompters call these, so a
 * value accepted in one mode is accepted in the other (design.md: "Both share one code path").
 */
import { UsageError } from '../core/errors.js';
import type { Answer, Question } from './prompter.js';

/** Strings accepted for a confirm question, as typed in YAML, JSON or on a command line. */
const CONFIRM_WORDS: Record<string, boolean> = {
  yes: true,
  y: true,
  true: true,
  on: true,
  no: false,
  n: false,
  false: false,
  off: false,
};

/**
 * The flag that answers a question: its own `flag`, else `--` + the key with dots and
 * camelCase turned into dashes (`fix.summary` → `--fix-summary`).
 */
export function flagForQuestion(question: Question): string {
  if (question.flag) return question.flag.startsWith('-') ? question.flag : `--${question.flag}`;
  const kebab = question.key
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/[._\s]+/g, '-')
    .toLowerCase();
  return `--${kebab}`;
}

/** The error for a question nobody answered and that has no default. */
export function missingAnswerError(question: Question): UsageError {
  return new UsageError(`missing answer for '${question.key}': add it to the answers file or pass ${flagForQuestion(question)}`);
}

/**
 * Checks `value` against the question's type and turns it into the answer gotriage uses:
 * a boolean for confirm, one of the choice values for select, a string otherwise.
 * An empty text answer falls back to the default, or is allowed when the question is optional.
 * @param source where the value came from, named in errors (`answers file`, `--fix-summary`, `prompt`).
 * @throws UsageError naming the key and what would have been accepted.
 */
export function checkAnswer(question: Question, value: Answer, source: string): Answer {
  const where = `'${question.key}' (from ${source})`;
  // Whoever gave it (a flag, a file, a person typing Ctrl-@): a NUL is never kept.
  if (typeof value === 'string' && value.includes('\0'))
    throw new UsageError(`answer for ${where} contains a NUL byte (\\0): answers are text, remove it`);
  if (question.type === 'confirm') {
    if (typeof value === 'boolean') return value;
    const word = CONFIRM_WORDS[value.trim().toLowerCase()];
    if (word === undefined) {
      throw new UsageError(`answer for ${where} must be yes or no (true/false), got ${describeValue(question, value)}`);
    }
    return word;
  }
  if (typeof value === 'boolean') {
    throw new UsageError(`answer for ${where} must be text, got ${value}`);
  }
  if (question.type === 'select') {
    const values = (question.choices ?? []).map((c) => c.value);
    if (!values.includes(value)) {
      throw new UsageError(`answer for ${where} must be one of: ${values.join(', ')}; got ${describeValue(question, value)}`);
    }
    return value;
  }
  if (value.trim() === '') {
    if (question.default !== undefined) return checkAnswer(question, question.default, 'default');
    if (question.optional) return '';
    throw new UsageError(`answer for ${where} is empty: '${question.key}' needs a value`);
  }
  return value;
}

/**
 * The answer used when nobody gave one: the default (checked like any answer), or the
 * empty answer of an optional question; undefined when the question must be answered.
 */
export function fallbackAnswer(question: Question): Answer | undefined {
  if (question.default !== undefined) return checkAnswer(question, question.default, 'default');
  if (question.optional) return question.type === 'confirm' ? false : '';
  return undefined;
}

/** A value quoted for an error message; a secret's value is never repeated. */
function describeValue(question: Question, value: string): string {
  return question.secret ? '(hidden)' : JSON.stringify(value);
}
