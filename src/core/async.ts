/** Small async helpers shared by the engine and the collectors. */

/** setTimeout as a promise that rejects when the signal aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Rethrows the first rejection of a settled batch. Actions settle every job (one dead
 * target never stops the others) but an abort or a job that could not even start must
 * still end the step.
 */
export function rethrowFirstRejection(settled: readonly PromiseSettledResult<unknown>[]): void {
  const rejected = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (rejected) throw rejected.reason;
}
