/**
 * Picks the Prompter for a command from its flags and terminal (see createPrompter).
 */
import { UsageError } from '../core/errors.js';
import { loadAnswersFile } from './answers-file.js';
import { createInteractivePrompter } from './interactive.js';
import { createScriptedPrompter } from './scripted.js';
import { flagForQuestion } from './answer-check.js';
import type { Answer, Prompter, Question } from './prompter.js';

export interface CreatePrompterOptions {
  /** --answers FILE (YAML or JSON). */
  answersFile?: string;
  /** Answers from flags, keyed like questions (`fix.summary`); they override the file. */
  answers?: Readonly<Record<string, Answer>>;
  /** stdin is a TTY and --non-interactive was not given. */
  interactive: boolean;
  /** Terminal streams for the interactive prompter (tests). */
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
}

/**
 * Builds the Prompter:
 * - an answers file, or no terminal → scripted (file answers, overridden by flag answers);
 * - a terminal without answers file → interactive, where questions answered by a flag are
 *   not asked (so `--fix-summary` works the same with or without a terminal).
 * With no terminal and no answers at all, a question that must be asked fails with a
 * UsageError saying how to answer it — never a hang on a closed stdin.
 */
export async function createPrompter(options: CreatePrompterOptions): Promise<Prompter> {
  const fileAnswers = options.answersFile ? await loadAnswersFile(options.answersFile) : {};
  const flagAnswers = options.answers ?? {};
  const answers: Record<string, Answer> = { ...fileAnswers, ...flagAnswers };
  if (options.interactive && !options.answersFile) {
    return createInteractivePrompter({ presets: flagAnswers, input: options.input, output: options.output });
  }
  const haveAnyAnswers = options.answersFile !== undefined || Object.keys(flagAnswers).length > 0;
  return createScriptedPrompter(answers, {
    source: options.answersFile ? `answers file ${options.answersFile} or flags` : 'flags',
    missingError: haveAnyAnswers ? undefined : noTerminalError,
  });
}

function noTerminalError(question: Question): UsageError {
  return new UsageError(
    `no terminal to ask '${question.key}' and no --answers file: run interactively or pass --answers FILE`,
    `or answer it with ${flagForQuestion(question)}`,
  );
}
