/**
 * Where profiles come from and how they are fetched, from the session flags:
 * --target (repeatable) and --targets-file, --header, --concurrency, --target-deadline.
 */
import type { FanoutOptions } from '../collect/fanout.js';
import { checkAuthorizationOnce, loadTargetsFile, parseHeaderFlags, parseTarget } from '../collect/targets.js';
import { UsageError } from '../core/errors.js';
import { parseDuration } from '../playbook/schema.js';
import { positiveInt, str, strs, type Options } from './options.js';

/**
 * Every target named on the command line or in --targets-file, validated (credentials never
 * echoed). Checked with the --header values here, before a session is created: an
 * Authorization header and a target with `user:password@` are refused together.
 */
export function targetsFromFlags(opts: Options): string[] {
  const targets = strs(opts, 'target').map((t) => parseTarget(t, '--target'));
  const file = str(opts, 'targetsFile');
  if (file) targets.push(...loadTargetsFile(file));
  checkAuthorizationOnce(targets, parseHeaderFlags(strs(opts, 'header')));
  return [...new Set(targets)];
}

export function fanoutFromFlags(opts: Options): FanoutOptions {
  const deadline = str(opts, 'targetDeadline');
  let targetDeadlineMs: number | undefined;
  if (deadline !== undefined) {
    try {
      targetDeadlineMs = parseDuration(deadline);
    } catch {
      throw new UsageError(`--target-deadline takes a duration like 90s or 2m, got '${deadline}'`);
    }
  }
  return {
    concurrency: str(opts, 'concurrency') === undefined ? undefined : positiveInt(str(opts, 'concurrency'), '--concurrency', 8),
    targetDeadlineMs,
    headers: parseHeaderFlags(strs(opts, 'header')),
  };
}
