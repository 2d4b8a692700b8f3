/**
 * What Linux says about processes, read from /proc (proc(5)): parent, process group,
 * state and start time of each, and which ones carry a given tag in their environment.
 * Elsewhere these functions return "unknown" (undefined, empty lists): callers fall back
 * to plain kill(pid, 0) and process-group signals.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';

/** One line of /proc/<pid>/stat, the fields we use. */
export interface ProcStat {
  pid: number;
  ppid: number;
  pgid: number;
  /** One letter: R running, S sleeping, Z zombie, X dead, … */
  state: string;
  /** Start time in clock ticks after boot (field 22): with the boot id, a process' identity. */
  startTicks: number;
}

/** The environment variable the runner sets on every tool, inherited by everything it starts. */
export const PROCESS_TAG_VARIABLE = 'GOTRIAGE_PROCESS_TAG';

let cachedBootId: string | undefined;

/** /proc/sys/kernel/random/boot_id: start ticks restart at 0 on every boot. '' when unknown. */
export function bootId(): string {
  if (cachedBootId === undefined) {
    try {
      cachedBootId = readFileSync('/proc/sys/kernel/random/boot_id', 'latin1').trim();
    } catch {
      cachedBootId = '';
    }
  }
  return cachedBootId;
}

/** The stat fields of `pid`, or undefined when it does not exist (or /proc is not there). */
export function readProcStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return undefined;
  }
  return parseProcStat(pid, text);
}

/** proc(5): "pid (comm) state ppid pgrp session tty_nr tpgid flags … starttime(22) …"; comm may hold spaces and ')'. */
function parseProcStat(pid: number, text: string): ProcStat | undefined {
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  const fields = text.slice(close + 2).split(' ');
  // fields[0] is field 3 (state), so field n is fields[n - 3].
  return {
    pid,
    state: fields[0] ?? '?',
    ppid: Number(fields[1]),
    pgid: Number(fields[2]),
    startTicks: Number(fields[19]),
  };
}

/**
 * Who a process is, not just its number: `<boot id>/<start ticks>`. A pid reused by a
 * later process (or after a reboot) gives another value. Undefined when it is not running
 * or /proc cannot tell.
 */
export function processStartId(pid: number): string | undefined {
  const stat = readProcStat(pid);
  return stat === undefined ? undefined : startIdOf(stat);
}

/** processStartId from a stat already read. */
export function startIdOf(stat: ProcStat): string {
  return `${bootId()}/${stat.startTicks}`;
}

/** This gotriage process, as locks and process records name their owner. */
export function thisProcess(): { host: string; pid: number; startId: string | null } {
  return { host: hostname(), pid: process.pid, startId: processStartId(process.pid) ?? null };
}

/** True for a process that has exited but not been reaped yet (or is being torn down). */
export function isDeadState(state: string): boolean {
  return state === 'Z' || state === 'X';
}

/**
 * Whether the process that had `startId` is still running. Without /proc (or without a
 * recorded start id) only the pid can be checked, so a reused pid counts as running —
 * the cautious answer for a lock, which then waits instead of taking over.
 */
export function isProcessRunning(pid: number, startId: string | null): boolean {
  const stat = readProcStat(pid);
  if (stat !== undefined) return !isDeadState(stat.state) && (startId === null || startId === startIdOf(stat));
  if (process.platform === 'linux') return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Every process /proc lists (empty off Linux). Processes that exit while we read are left out. */
function listProcesses(): ProcStat[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const all: ProcStat[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readProcStat(Number(entry));
    if (stat) all.push(stat);
  }
  return all;
}

/**
 * The live processes that belong to one started tool, wherever they went:
 *  - the members of its process group (`pgid`), unless that group id now names someone else's group;
 *  - every process whose environment carries `tag` — descendants keep the variable after
 *    setsid(), after a double fork, after their parent died and they were reparented;
 *  - every descendant (by parent pid) of those, which catches children that cleared their environment.
 * Only processes started at or after `notBeforeTicks` can be descendants, so the environment
 * of older ones is not read. Zombies are left out: they are gone, only not reaped.
 */
export function findFamily(options: { pgid: number | null; tag: string | null; notBeforeTicks?: number }): ProcStat[] {
  const table = listProcesses().filter((p) => !isDeadState(p.state) && p.pid !== process.pid);
  const needle = options.tag === null ? undefined : Buffer.from(`${PROCESS_TAG_VARIABLE}=${options.tag}\0`);
  const family = new Map<number, ProcStat>();
  for (const p of table) {
    if (options.notBeforeTicks !== undefined && p.startTicks < options.notBeforeTicks) continue;
    if ((options.pgid !== null && p.pgid === options.pgid) || (needle !== undefined && environHas(p.pid, needle))) family.set(p.pid, p);
  }
  // Children by parent, then a walk down from every member found so far.
  const children = new Map<number, ProcStat[]>();
  for (const p of table) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const queue = [...family.keys()];
  while (queue.length > 0) {
    for (const child of children.get(queue.pop()!) ?? []) {
      if (family.has(child.pid)) continue;
      family.set(child.pid, child);
      queue.push(child.pid);
    }
  }
  return [...family.values()];
}

/** Whether /proc/<pid>/environ holds `needle` (NAME=value\0). Unreadable (another user's) → false. */
function environHas(pid: number, needle: Buffer): boolean {
  let environ: Buffer;
  try {
    environ = readFileSync(`/proc/${pid}/environ`);
  } catch {
    return false;
  }
  // The environment block starts with a variable, and each one ends with NUL.
  return environ.subarray(0, needle.length).equals(needle) || environ.includes(Buffer.concat([Buffer.from([0]), needle]));
}
