/**
 * The Runner's tracking hook: how whoever started a tool learns, durably, that it runs and
 * when it ended. The engine implements it with the store (process records), so a later
 * `gotriage resume` can end what a killed gotriage left running. Declared here, in exec,
 * because the runner calls it; exec does not know the store.
 */

/** What is known before the tool starts. */
export interface ProcessStarting {
  /** `tool` for a run-to-completion tool; `debugger` for a long-lived one (a headless dlv). */
  kind: 'tool' | 'debugger';
  /** The output name of the run (`cpu-top`, `wait`): which action started it. */
  name: string;
  /** argv with secrets redacted, as stored and shown. */
  argv: readonly string[];
  /**
   * The value of the tag variable the tool is started with (proc-table.ts): descendants
   * inherit it, so they can be found even after they left the tool's process group.
   */
  tag: string;
}

/** What is known once the process exists. */
export interface ProcessSpawned {
  pid: number;
  /** The tool leads its own process group: pgid = pid. */
  pgid: number;
  /** proc-table.ts processStartId: tells this process from a later one with the same pid. null when unknown. */
  startId: string | null;
}

/** How the tool ended, once nothing of it runs any more. */
export interface ProcessEnded {
  exitCode: number | null;
  signal: string | null;
  /** false when it could not be started at all (spawn failed). */
  started: boolean;
}

/** One tracked process: the runner reports its spawn and its end. */
export interface TrackedProcess {
  spawned(process: ProcessSpawned): Promise<void>;
  ended(end: ProcessEnded): Promise<void>;
}

/**
 * The hook. `starting` is awaited before the tool is spawned, so a record exists (with the
 * tag) even if gotriage is killed between spawn and `spawned`; a rejection starts nothing.
 */
export interface ProcessTracker {
  starting(process: ProcessStarting): Promise<TrackedProcess>;
}
