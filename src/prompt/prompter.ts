/**
 * The Prompter contract: every question gotriage asks goes through `ask`, whether a
 * person answers it (@inquirer/prompts) or an answers file / flags do (scripted).
 */

export type QuestionType = 'input' | 'editor' | 'confirm' | 'select' | 'password';

export interface Question {
  /** Answer key, e.g. `alert.summary`, `fix.commit`, `resume.rerunInterrupted`. */
  key: string;
  type: QuestionType;
  message: string;
  default?: string | boolean;
  choices?: { value: string; name?: string; description?: string }[];
  /** The flag that answers it in scripted mode, named in the error when it is missing. */
  flag?: string;
  /** Answers that may be empty (the default is used, or ''). */
  optional?: boolean;
  /** Never echoed, never stored, never logged. */
  secret?: boolean;
}

export type Answer = string | boolean;

export interface AskOptions {
  signal?: AbortSignal;
}

export interface Prompter {
  readonly interactive: boolean;
  ask(question: Question, options?: AskOptions): Promise<Answer>;
}
