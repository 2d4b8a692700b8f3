/**
 * Real helper programs for the runner tests, written into a temp dir from literals, plus
 * an independent view of process groups through ps(1) (not through the code under test).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const tempDirs: string[] = [];

/** A fresh temp dir, removed by {@link removeTempDirs} (call it from afterAll). */
export function makeTempDir(prefix = 'gotriage-exec-'): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Write an executable file and return its absolute path. */
export function writeExecutable(dir: string, name: string, body: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, body);
  chmodSync(file, 0o755);
  return file;
}

/**
 * A program that appends its arguments (argv[1..]) as one JSON line to $RECORD_FILE —
 * what a real tool would receive, byte for byte.
 */
export function writeArgvRecorder(dir: string): string {
  return writeExecutable(
    dir,
    'record-argv',
    `#!${process.execPath}\nrequire('node:fs').appendFileSync(process.env.RECORD_FILE, JSON.stringify(process.argv.slice(2)) + '\\n');\n`,
  );
}

/**
 * A shell tool that ignores SIGTERM (the disposition is inherited by everything it starts),
 * forks `children` background processes that sleep, prints its pid (= its process group id,
 * since the runner makes it a group leader) and then sleeps itself.
 */
export function writeStubbornForker(dir: string, children = 3): string {
  return writeExecutable(
    dir,
    'stubborn-forker',
    `#!/bin/sh
trap '' TERM
echo $$
i=0
while [ $i -lt ${children} ]; do
  sh -c 'while :; do sleep 1; done' &
  i=$((i + 1))
done
echo "forked ${children}" >&2
sleep 60
`,
  );
}

/** Processes of group `pgid` that are still running (zombies excluded), seen through ps. */
export function runningProcessesInGroup(pgid: number): string[] {
  const table = execFileSync('ps', ['-eo', 'pid=,pgid=,stat=,args='], { encoding: 'utf8' });
  return table
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((cols) => Number(cols[1]) === pgid && !(cols[2] ?? '').startsWith('Z'))
    .map((cols) => cols.join(' '));
}

export function sha256sumOf(file: string): string {
  return execFileSync('sha256sum', [file], { encoding: 'utf8' }).split(' ')[0] ?? '';
}

/** Whether `pid` is a running process (not gone, not a zombie), seen through ps. */
export function isRunning(pid: number): boolean {
  try {
    const stat = execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' }).trim();
    return stat !== '' && !stat.startsWith('Z');
  } catch {
    return false; // ps exits 1 when the pid does not exist
  }
}
