/**
 * The scripted Prompter: answers come from an answers file and flags, never a person.
 * Used with --answers, with --non-interactive, and whenever stdin is not a terminal.
 */
import { InterruptedError, type UsageError } from '../core/errors.js';
import { checkAnswer, fallbackAnswer, missingAnswerError } from './answer-check.js';
import type { Answer, AskOptions, Prompter, Question } from './prompter.js';

export interface ScriptedPrompterOptions {
  /** Where the answers came from, named in type errors. Default `answers`. */
  source?: string;
  /** Builds the error for a question without answer or default. Default: names key and flag. */
  missingError?: (question: Question) => UsageError;
}

/**
 * A Prompter answering each question by `question.key` from `answers`, else from its
 * default (or '' / false when optional). A missing answer is a UsageError naming the key
 * and the flag, never a hang.
 */
export function createScriptedPrompter(answers: Readonly<Record<string, Answer>>, options: ScriptedPrompterOptions = {}): Prompter {
  const source = options.source ?? 'answers';
  const missingError = options.missingError ?? missingAnswerError;
  return {
    interactive: false,
    async ask(question: Question, askOptions?: AskOptions): Promise<Answer> {
      if (askOptions?.signal?.aborted) throw new InterruptedError(`interrupted before '${question.key}' was answered`);
      const given = lookupAnswer(answers, question.key);
      if (given !== undefined) return checkAnswer(question, given, source);
      const fallback = fallbackAnswer(question);
      if (fallback !== undefined) return fallback;
      throw missingError(question);
    },
  };
}

/** Own properties only: an answers key like `constructor` must not find Object.prototype. */
export function lookupAnswer(answers: Readonly<Record<string, Answer>>, key: string): Answer | undefined {
  return Object.prototype.hasOwnProperty.call(answers, key) ? answers[key] : undefined;
}
