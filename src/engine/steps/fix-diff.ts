/**
 * The fix's diff, kept as evidence: the commit the engineer names (`git show`), or,
 * when they name none, the uncommitted change in the service's repository
 * (`git diff HEAD`) — the usual state at 3 a.m.
 */
import { UsageError } from '../../core/errors.js';
import { MediaType } from '../../core/model.js';
import { keepArtifact } from '../actions/keep-artifact.js';
import type { StepEnv } from '../types.js';

/** A git revision as typed by a person: never an option, never a shell trick. */
const REVISION = /^[0-9A-Za-z][0-9A-Za-z._/~^@{}-]*$/;

async function keepGitOutput(
  env: StepEnv,
  stepRunId: number,
  args: string[],
  label: string,
  commit: string | null,
): Promise<number | null> {
  const repo = env.params.serviceDir!;
  const result = await env.ctx.runner.run(['git', '-C', repo, ...args], {
    timeoutMs: 30_000,
    signal: env.signal,
    outputDir: env.scratchDir,
    name: `fix-diff-${stepRunId}`,
  });
  if (result.exitCode !== 0) {
    env.ctx.log.warn(`${label} in ${repo} exited ${result.exitCode}; the fix is recorded without its diff`);
    return null;
  }
  if (result.stdout.size === 0) return null;
  return (
    await keepArtifact(env, {
      stepRunId,
      actionId: 'fix-diff',
      sourcePath: result.stdout.path,
      mediaType: MediaType.diff,
      label,
      attributes: { role: 'fix-diff', ...(commit !== null && { commit }) },
      sha256: result.stdout.sha256,
    })
  ).id;
}

/** Returns the diff artifact's id, or null when there is no repository or no change to show. */
export async function keepFixDiff(env: StepEnv, stepRunId: number, commit: string | null): Promise<number | null> {
  if (!env.params.serviceDir) return null;
  if (commit === null) return keepGitOutput(env, stepRunId, ['diff', '--stat', '--patch', 'HEAD'], 'git diff HEAD (uncommitted fix)', null);
  if (!REVISION.test(commit))
    throw new UsageError(`'${commit}' is not a git revision`, 'answer fix.commit with a commit id, a branch or a tag');
  return keepGitOutput(env, stepRunId, ['show', '--stat', '--patch', '--end-of-options', commit], `git show ${commit}`, commit);
}
