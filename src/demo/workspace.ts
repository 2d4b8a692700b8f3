/**
 * A throwaway git workspace holding a copy of the demo service, so the demo's `fix` step
 * can record a real commit and diff without touching the checked-out examples/ tree.
 */
import { cp, mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../core/errors.js';
import { runCommand } from './run-command.js';

/** The commit message applyFix records. */
export const FIX_COMMIT_MESSAGE = 'Fix goroutine leak, data race and CPU hotspot';

/**
 * `-c` settings for every git call: an identity so commits work on a machine with no git
 * config, no signing prompt, and no user hooks running inside our scratch repository.
 */
const GIT_CONFIG = [
  '-c',
  'user.name=gotriage demo',
  '-c',
  'user.email=gotriage-demo@localhost',
  '-c',
  'commit.gpgsign=false',
  '-c',
  'core.hooksPath=/dev/null',
  '-c',
  'init.defaultBranch=main',
];

/**
 * Git honours these from the environment over the working directory; a value inherited
 * from a surrounding git hook would point our commands at another repository.
 */
const GIT_ENV = { GIT_DIR: undefined, GIT_WORK_TREE: undefined, GIT_INDEX_FILE: undefined };

function git(workspaceDir: string, args: string[], stdoutFile?: string) {
  return runCommand(['git', ...GIT_CONFIG, ...args], { cwd: workspaceDir, env: GIT_ENV, stdoutFile });
}

/**
 * Copy `srcDir` (without any `.git`) into `destDir`, which must be missing or empty,
 * make it a git repository with one commit, and return that commit's sha.
 */
export async function prepareWorkspace(srcDir: string, destDir: string): Promise<string> {
  const from = path.resolve(srcDir);
  const to = path.resolve(destDir);
  const existing = await readdir(to).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  if (existing.length > 0) {
    throw new UsageError(`workspace directory ${to} is not empty`, 'choose a new directory; nothing was copied');
  }
  await mkdir(to, { recursive: true });
  await cp(from, to, {
    recursive: true,
    filter: (source) => path.basename(source) !== '.git',
  });
  await git(to, ['init', '-q']);
  await git(to, ['add', '-A']);
  await git(to, ['commit', '-q', '-m', `Import ${path.basename(from)}`]);
  return headCommit(to);
}

export interface AppliedFix {
  /** sha of the fix commit. */
  commit: string;
  /** File holding `git show` of the fix commit (message and diff). */
  diffPath: string;
}

export interface ApplyFixOptions {
  /** Where to write the diff. Default: `gotriage-fix.diff` inside the workspace's .git directory. */
  diffPath?: string;
}

/**
 * `git apply` the patch in a clean workspace, commit it with {@link FIX_COMMIT_MESSAGE},
 * and write the commit's `git show` output to a file. Throws ToolError (with git's
 * message) when the patch does not apply, UsageError when the workspace has changes.
 */
export async function applyFix(workspaceDir: string, patchPath: string, options: ApplyFixOptions = {}): Promise<AppliedFix> {
  const dir = path.resolve(workspaceDir);
  const { stdout: status } = await git(dir, ['status', '--porcelain']);
  if (status.trim() !== '') {
    throw new UsageError(`workspace ${dir} has uncommitted changes; the fix commit would include them`, 'commit or discard them first');
  }
  await git(dir, ['apply', path.resolve(patchPath)]);
  await git(dir, ['add', '-A']);
  await git(dir, ['commit', '-q', '-m', FIX_COMMIT_MESSAGE]);
  const commit = await headCommit(dir);
  const diffPath = path.resolve(options.diffPath ?? path.join(dir, '.git', 'gotriage-fix.diff'));
  // --no-ext-diff/--no-color: the file must be a plain diff whatever the user's git config.
  await git(dir, ['show', '--no-color', '--no-ext-diff', '--format=fuller', commit], diffPath);
  return { commit, diffPath };
}

async function headCommit(dir: string): Promise<string> {
  const { stdout } = await git(dir, ['rev-parse', 'HEAD']);
  return stdout.trim();
}
