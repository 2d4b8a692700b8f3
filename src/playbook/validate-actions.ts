/**
 * Cross-checks on gather/analyze actions that the schema alone cannot express: unique ids,
 * sampling settings, pprof endpoint rules, and that every `{{placeholder}}` a command uses
 * will have a value when the action runs.
 */
import { STEPS, type StepId } from '../core/model.js';
import { parseDuration, type CommandAction, type Playbook, type PprofAction } from './schema.js';
import { closestMatch } from './schema-keys.js';
import { malformedPlaceholdersIn, placeholdersIn } from './interpolate.js';
import { checkSecretPlaceholders } from './validate-secrets.js';
import type { KeyPath } from './yaml-positions.js';

/**
 * Placeholders every action may use without declaring them: gotriage fills them from flags,
 * the alert, and the session itself.
 */
export const RUNTIME_PARAMS = ['target', 'pprofBase', 'serviceDir', 'incidentId', 'workDir', 'service'] as const;

/** Collects problems with the key path of the node they are about. */
export interface ProblemSink {
  error(path: KeyPath, message: string, target?: 'key' | 'value'): void;
  warn(path: KeyPath, message: string, target?: 'key' | 'value'): void;
}

/** Reports the second and later uses of an id within one list. */
export function checkUniqueIds<F extends 'id' | 'key'>(
  items: readonly Record<F, string>[],
  listPath: KeyPath,
  field: F,
  sink: ProblemSink,
): void {
  const seen = new Map<string, number>();
  items.forEach((item, index) => {
    const value = item[field];
    const first = seen.get(value);
    if (first === undefined) seen.set(value, index);
    else
      sink.error(
        [...listPath, index, field],
        `duplicate ${field} '${value}': already used by item ${first + 1} of this list; ${field}s must be unique within a step`,
      );
  });
}

/** `<step>.<key>` for every prompt answered before an action of `step` runs (its own step included). */
export function answersAvailableIn(playbook: Playbook, step: StepId): Map<string, StepId> {
  const answers = new Map<string, StepId>();
  for (const id of STEPS) {
    for (const prompt of playbook.steps[id].prompts) answers.set(`${id}.${prompt.key}`, id);
    if (id === step) break;
  }
  return answers;
}

/** Every `<step>.<key>` answer in the playbook, to explain a placeholder used too early. */
function allAnswers(playbook: Playbook): Map<string, StepId> {
  return answersAvailableIn(playbook, 'postmortem');
}

function checkPlaceholders(
  text: string,
  path: KeyPath,
  known: ReadonlySet<string>,
  playbook: Playbook,
  step: StepId,
  sink: ProblemSink,
): void {
  for (const name of placeholdersIn(text)) {
    if (known.has(name)) continue;
    const later = allAnswers(playbook).get(name);
    if (later) {
      sink.error(path, `{{${name}}} is answered in step ${later}, which comes after this ${step} action runs`);
      continue;
    }
    const guess = closestMatch(name, [...known]);
    const hint = guess ? `did you mean {{${guess}}}? ` : '';
    sink.error(
      path,
      `unknown placeholder {{${name}}}: ${hint}declare it under params:, or use a runtime param (${RUNTIME_PARAMS.join(', ')})`,
    );
  }
  for (const text2 of malformedPlaceholdersIn(text)) {
    sink.warn(
      path,
      `${text2} is not a placeholder (names are letters, digits, _ and ., starting with a letter) and will be passed literally`,
    );
  }
}

/** The placeholder names an action of `step` can rely on. */
export function knownPlaceholders(playbook: Playbook, step: StepId): Set<string> {
  return new Set<string>([...RUNTIME_PARAMS, ...Object.keys(playbook.params), ...answersAvailableIn(playbook, step).keys()]);
}

/** Tool, args, cwd and env values of a command action. */
export function checkCommandAction(action: CommandAction, path: KeyPath, playbook: Playbook, step: StepId, sink: ProblemSink): void {
  const known = knownPlaceholders(playbook, step);
  checkPlaceholders(action.tool, [...path, 'tool'], known, playbook, step, sink);
  if (placeholdersIn(action.tool).length > 0) {
    sink.warn([...path, 'tool'], 'the executable comes from a placeholder: whoever supplies that value chooses the program gotriage runs');
  }
  action.args.forEach((arg, index) => checkPlaceholders(arg, [...path, 'args', index], known, playbook, step, sink));
  checkSecretPlaceholders(action.args, [...path, 'args'], playbook, sink);
  if (action.cwd !== undefined) checkPlaceholders(action.cwd, [...path, 'cwd'], known, playbook, step, sink);
  for (const [name, value] of Object.entries(action.env ?? {})) {
    // execve takes NAME=value strings: a name with '=' would change which variable is set.
    if (name === '' || name.includes('=') || name.includes('\0'))
      sink.error([...path, 'env', name], `'${name}' is not a valid environment variable name`, 'key');
    checkPlaceholders(value, [...path, 'env', name], known, playbook, step, sink);
  }
  const argText = action.args.join(' ');
  if (action.parse === 'race' && !action.okExitCodes.some((code) => code !== 0)) {
    // go test exits 1 when the race detector fails a test; a -race binary exits 66 (GORACE exitcode).
    sink.warn(
      [...path, 'okExitCodes'],
      `a race report makes ${action.tool} exit non-zero (1 from go test, 66 from a -race binary); add that code to okExitCodes or the race is recorded as a tool failure`,
    );
  }
  if (action.parse === 'race' && action.tool === 'go' && !/(^|\s)-race(\s|$)/.test(argText)) {
    sink.warn([...path, 'args'], 'parse: race expects race detector output, but args has no -race flag');
  }
}

/** Sampling and endpoint rules of net/http/pprof (Go's src/net/http/pprof/pprof.go). */
export function checkPprofAction(action: PprofAction, path: KeyPath, sink: ProblemSink): void {
  if (action.samples > 1 && action.interval === undefined) {
    sink.error(
      [...path, 'samples'],
      `samples: ${action.samples} needs an interval (e.g. interval: 30s) to say how far apart the samples are taken`,
    );
  }
  if (action.samples === 1 && action.interval !== undefined) {
    sink.warn([...path, 'interval'], 'interval has no effect with a single sample; set samples: 2 or more to compare snapshots');
  }
  const timed = action.profile === 'profile' || action.profile === 'trace';
  if (action.seconds !== undefined && action.debug !== undefined && action.debug !== '0' && !timed) {
    // serveDeltaProfile answers 400 "seconds and debug params are incompatible".
    sink.error(
      [...path, 'debug'],
      `the ${action.profile} endpoint refuses seconds together with debug=${action.debug} (a delta profile is only served as a proto); drop one of them`,
    );
  }
  if (timed && action.debug !== undefined) {
    sink.warn([...path, 'debug'], `debug is ignored by the ${action.profile} endpoint, which always returns binary data`);
  }
  // The endpoint holds the request open for `seconds` (CPU profile: 30 s when not given).
  const captureSeconds = action.seconds ?? (action.profile === 'profile' ? 30 : action.profile === 'trace' ? 1 : 0);
  if (action.timeout !== undefined && captureSeconds > 0 && parseDuration(action.timeout) <= captureSeconds * 1000) {
    sink.error(
      [...path, 'timeout'],
      `timeout ${action.timeout} ends before the ${captureSeconds}s capture does; make it longer than seconds`,
    );
  }
}
