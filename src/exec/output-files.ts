/**
 * The files a tool's stdout and stderr go to. The child gets the file descriptors
 * themselves (not pipes), so the kernel writes straight to disk: memory stays flat for a
 * 200 MB goroutine dump, and a forked grandchild that keeps stdout open cannot make us
 * wait for an end-of-stream that never comes.
 */
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../core/errors.js';
import type { OutputFile } from './runner.js';

export interface OpenedOutputs {
  stdoutPath: string;
  stderrPath: string;
  stdoutFd: number;
  stderrFd: number;
}

/**
 * Reject a file-name stem that could escape `outputDir` or is not a file name at all.
 * The stem usually comes from playbook action ids, i.e. from data.
 */
export function assertSafeOutputName(name: string): void {
  if (name === '' || name === '.' || name === '..' || /[/\\\0]/.test(name)) {
    throw new UsageError(
      `invalid output name ${JSON.stringify(name)}: it must be a plain file name`,
      'use letters, digits, dots, dashes or underscores, without path separators',
    );
  }
}

/** Create `outputDir` if needed and open (truncate) `<name>.stdout` and `<name>.stderr`. */
export function openOutputFiles(outputDir: string, name: string): OpenedOutputs {
  mkdirSync(outputDir, { recursive: true });
  const stdoutPath = path.resolve(outputDir, `${name}.stdout`);
  const stderrPath = path.resolve(outputDir, `${name}.stderr`);
  const stdoutFd = openSync(stdoutPath, 'w');
  let stderrFd: number;
  try {
    stderrFd = openSync(stderrPath, 'w');
  } catch (error) {
    closeSync(stdoutFd);
    throw error;
  }
  return { stdoutPath, stderrPath, stdoutFd, stderrFd };
}

/** Close our copies of the descriptors (the child keeps its own). Safe to call twice. */
export function closeOutputFds(outputs: OpenedOutputs): void {
  for (const fd of [outputs.stdoutFd, outputs.stderrFd]) {
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
  }
}

/** Remove both files: used when the tool never started, so no empty "evidence" is left. */
export function removeOutputFiles(outputs: OpenedOutputs): void {
  rmSync(outputs.stdoutPath, { force: true });
  rmSync(outputs.stderrPath, { force: true });
}

/** Read size for hashing: big enough for few syscalls, small enough to not matter. */
const HASH_CHUNK_BYTES = 1 << 20;

/**
 * sha256 and size of a file. One buffer is reused for every read, so hashing a 200 MB
 * output allocates 1 MB once — a read stream would allocate a fresh chunk per read and
 * leave RSS to the garbage collector's timing.
 */
export async function describeOutputFile(filePath: string): Promise<OutputFile> {
  const hash = createHash('sha256');
  const buffer = Buffer.allocUnsafe(HASH_CHUNK_BYTES);
  let size = 0;
  const file = await open(filePath, 'r');
  try {
    for (;;) {
      const { bytesRead } = await file.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      size += bytesRead;
      hash.update(buffer.subarray(0, bytesRead));
    }
  } finally {
    await file.close();
  }
  return { path: filePath, sha256: hash.digest('hex'), size };
}
