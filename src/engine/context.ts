/**
 * The one context object handed down through commands, steps and actions, so tests
 * can pass fakes without module-mocking (conventions.md). Each field is an interface
 * owned by its module; this file only gathers them.
 */
import type { Runner } from '../exec/runner.js';
import type { Prompter } from '../prompt/prompter.js';
import type { Store } from '../store/store.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/log.js';

export interface Context {
  runner: Runner;
  prompter: Prompter;
  store: Store;
  clock: Clock;
  log: Logger;
}
