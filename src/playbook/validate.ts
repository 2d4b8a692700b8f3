/**
 * `gotriage validate`: load a playbook, then check what the schema cannot — references
 * between steps, placeholders, settings the Go endpoints would refuse — before any session
 * starts. Errors throw a PlaybookError at the offending node; doubtful spots become warnings.
 */
import { PlaybookError } from '../core/errors.js';
import { STEPS } from '../core/model.js';
import { loadPlaybookDocument, type LoadedPlaybook } from './loader.js';
import type { Playbook } from './schema.js';
import { closestMatch } from './schema-keys.js';
import { placeholdersIn } from './interpolate.js';
import { checkCommandAction, checkPprofAction, checkUniqueIds, knownPlaceholders, type ProblemSink } from './validate-actions.js';
import { checkLogsAction } from './validate-collect.js';
import { formatKeyPath, type KeyPath, type PlaybookPositions } from './yaml-positions.js';

export { RUNTIME_PARAMS } from './validate-actions.js';

/**
 * The loaded playbook (path, sha256 and source included, so a caller need not read the file
 * a second time and risk it changing in between) plus the warnings.
 */
export interface ValidatedPlaybook extends LoadedPlaybook {
  /** `file:line:col: message` for each doubtful but runnable spot. */
  warnings: string[];
}

/** What a hypothesis statement and check may use besides the action placeholders. */
const FINDING_FIELDS = ['finding.func', 'finding.file', 'finding.line', 'finding.title'];

interface Problem {
  path: KeyPath;
  target: 'key' | 'value';
  message: string;
}

function checkSteps(playbook: Playbook, sink: ProblemSink): void {
  for (const step of STEPS) checkUniqueIds(playbook.steps[step].prompts, ['steps', step, 'prompts'], 'key', sink);
  for (const step of STEPS) {
    playbook.steps[step].prompts.forEach((prompt, index) => {
      const path = ['steps', step, 'prompts', index];
      if (prompt.type === 'select' && !prompt.choices?.length)
        sink.error([...path, 'type'], `prompt '${prompt.key}' is a select but has no choices: add choices: [a, b]`);
      if (prompt.type === 'confirm' && typeof prompt.default === 'string')
        sink.error([...path, 'default'], 'a confirm prompt takes true or false as its default');
      if (prompt.type !== 'confirm' && typeof prompt.default === 'boolean')
        sink.error([...path, 'default'], `a ${prompt.type} prompt takes a text default; quote it: "${String(prompt.default)}"`);
      if (prompt.type === 'select' && typeof prompt.default === 'string' && prompt.choices && !prompt.choices.includes(prompt.default)) {
        sink.error([...path, 'default'], `default '${prompt.default}' is not one of the choices (${prompt.choices.join(', ')})`);
      }
    });
  }

  const gather = playbook.steps.gather.actions;
  checkUniqueIds(gather, ['steps', 'gather', 'actions'], 'id', sink);
  gather.forEach((action, index) => {
    const path = ['steps', 'gather', 'actions', index];
    if (action.kind === 'pprof') checkPprofAction(action, path, sink);
    else if (action.kind === 'command') checkCommandAction(action, path, playbook, 'gather', sink);
    else if (action.kind === 'logs') checkLogsAction(action, path, sink, playbook);
  });

  const analyze = playbook.steps.analyze.actions;
  checkUniqueIds(analyze, ['steps', 'analyze', 'actions'], 'id', sink);
  analyze.forEach((action, index) => {
    if (action.kind === 'command') checkCommandAction(action, ['steps', 'analyze', 'actions', index], playbook, 'analyze', sink);
  });

  const gatherIds = gather.map((action) => action.id);
  playbook.steps.fix.recheck.forEach((id, index) => {
    if (gatherIds.includes(id)) return;
    const guess = closestMatch(id, gatherIds);
    const known = gatherIds.length ? `gather actions: ${gatherIds.join(', ')}` : 'the gather step has no actions';
    sink.error(
      ['steps', 'fix', 'recheck', index],
      `recheck names '${id}', which is not a gather action${guess ? ` (did you mean '${guess}'?)` : ''}; ${known}`,
    );
  });

  checkHypotheses(playbook, sink);

  const template = playbook.steps.postmortem.template;
  // Templates are compiled only from templates/ (conventions.md): no absolute paths or `..`.
  if (template.startsWith('/') || /^[A-Za-z]:/.test(template) || template.split(/[\\/]/).includes('..')) {
    sink.error(['steps', 'postmortem', 'template'], `template '${template}' must be a file name inside templates/, not a path outside it`);
  }
}

function checkHypotheses(playbook: Playbook, sink: ProblemSink): void {
  const hypotheses = playbook.steps.hypothesize.hypotheses;
  checkUniqueIds(hypotheses, ['steps', 'hypothesize', 'hypotheses'], 'id', sink);
  const known = new Set([...knownPlaceholders(playbook, 'hypothesize'), ...FINDING_FIELDS]);
  hypotheses.forEach((hypothesis, index) => {
    const path = ['steps', 'hypothesize', 'hypotheses', index];
    for (const name of placeholdersIn(hypothesis.statement)) {
      if (!known.has(name))
        sink.warn(
          [...path, 'statement'],
          `{{${name}}} has no value here and will be shown as written; known: ${FINDING_FIELDS.join(', ')} and the params`,
        );
    }
    for (const [where, regexp] of [
      [[...path, 'forEach', 'func'], hypothesis.forEach.func],
      [[...path, 'check', 'func'], hypothesis.check.func],
    ] as const) {
      if (regexp === undefined) continue;
      // The finding's function is filled in escaped (schema.ts), so any stand-in text works here.
      const sample = regexp.replace(/\{\{\s*finding\.[a-z]+\s*\}\}/g, 'x');
      try {
        new RegExp(sample);
      } catch (error) {
        sink.error(where, `func is not a valid regular expression: ${(error as Error).message}`);
      }
    }
  });
}

function formatProblem(file: string, positions: PlaybookPositions, problem: Problem): string {
  const pos = positions.locate(problem.path, problem.target);
  return `${file}:${pos.line}:${pos.col}: ${formatKeyPath(problem.path)}: ${problem.message}`;
}

/**
 * Loads a playbook and checks it beyond the schema.
 * @throws UsageError for a missing file; PlaybookError at the first problem's position (the
 * message lists every other problem too, each with its own file:line:col).
 */
export function validatePlaybookFile(file: string): ValidatedPlaybook {
  const { loaded, positions } = loadPlaybookDocument(file);
  const errors: Problem[] = [];
  const warnings: Problem[] = [];
  const sink: ProblemSink = {
    error: (path, message, target = 'value') => errors.push({ path, message, target }),
    warn: (path, message, target = 'value') => warnings.push({ path, message, target }),
  };
  checkSteps(loaded.playbook, sink);

  const byPosition = (a: Problem, b: Problem) => {
    const pa = positions.locate(a.path, a.target);
    const pb = positions.locate(b.path, b.target);
    return pa.line - pb.line || pa.col - pb.col;
  };
  errors.sort(byPosition);
  const [first, ...rest] = errors;
  if (first) {
    const { line, col } = positions.locate(first.path, first.target);
    const more = rest.map((problem) => `\n${formatProblem(loaded.path, positions, problem)}`).join('');
    throw new PlaybookError(`${formatKeyPath(first.path)}: ${first.message}${more}`, loaded.path, line, col, formatKeyPath(first.path));
  }
  return {
    ...loaded,
    warnings: warnings.sort(byPosition).map((problem) => formatProblem(loaded.path, positions, problem)),
  };
}
