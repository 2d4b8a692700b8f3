/**
 * The interactive Prompter: a person answers at the terminal through @inquirer/prompts.
 * Answers given up front (flags) are taken without asking; everything a person types is
 * checked by the same rules as scripted answers (answer-check.ts).
 */
import { confirm, editor, input, password, select } from '@inquirer/prompts';
import { InterruptedError } from '../core/errors.js';
import { checkAnswer } from './answer-check.js';
import { lookupAnswer } from './scripted.js';
import type { Answer, AskOptions, Prompter, Question } from './prompter.js';

export interface InteractivePrompterOptions {
  /** Answers already given (flags): their questions are not asked. */
  presets?: Readonly<Record<string, Answer>>;
  /** Terminal streams; default process.stdin / process.stdout. Tests pass their own. */
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
}

/** Creates a Prompter that asks a person; Ctrl-C or an aborted signal → InterruptedError. */
export function createInteractivePrompter(options: InteractivePrompterOptions = {}): Prompter {
  const presets = options.presets ?? {};
  return {
    interactive: true,
    async ask(question: Question, askOptions?: AskOptions): Promise<Answer> {
      const preset = lookupAnswer(presets, question.key);
      if (preset !== undefined) return checkAnswer(question, preset, 'command line');
      const context = { signal: askOptions?.signal, input: options.input, output: options.output };
      try {
        const raw = await askInquirer(question, context);
        return checkAnswer(question, raw, 'prompt');
      } catch (error) {
        throw toInterrupted(error, question) ?? error;
      }
    },
  };
}

type InquirerContext = { signal?: AbortSignal; input?: NodeJS.ReadableStream; output?: NodeJS.WritableStream };

/** One inquirer prompt per question type; text prompts re-ask until checkAnswer accepts. */
function askInquirer(question: Question, context: InquirerContext): Promise<Answer> {
  const validate = (value: string): true | string => {
    try {
      checkAnswer(question, value, 'prompt');
      return true;
    } catch (error) {
      return (error as Error).message;
    }
  };
  const textDefault = typeof question.default === 'string' ? question.default : undefined;
  switch (question.type) {
    case 'confirm':
      return confirm({ message: question.message, default: confirmDefault(question) }, context);
    case 'select':
      return select(
        {
          message: question.message,
          choices: (question.choices ?? []).map((c) => ({ value: c.value, name: c.name ?? c.value, description: c.description })),
          default: textDefault,
        },
        context,
      );
    case 'editor':
      return editor({ message: question.message, default: textDefault, validate }, context);
    case 'password':
      // mask: '*' shows that typing registers without echoing the secret itself.
      return password({ message: question.message, mask: '*', validate }, context);
    case 'input':
      return input({ message: question.message, default: textDefault, validate }, context);
  }
}

function confirmDefault(question: Question): boolean | undefined {
  if (question.default === undefined) return undefined;
  return checkAnswer(question, question.default, 'default') as boolean;
}

/**
 * inquirer rejects with ExitPromptError on Ctrl-C (readline SIGINT, or signal-exit when the
 * process is being killed) and AbortPromptError when the AbortSignal fires. Matched by
 * name because @inquirer/core, which defines the classes, is not our direct dependency.
 */
function toInterrupted(error: unknown, question: Question): InterruptedError | undefined {
  const name = (error as { name?: unknown } | null)?.name;
  if (name === 'ExitPromptError' || name === 'AbortPromptError' || name === 'CancelPromptError') {
    return new InterruptedError(`interrupted while asking '${question.key}'`);
  }
  return undefined;
}
