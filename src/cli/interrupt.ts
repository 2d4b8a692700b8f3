import { terminalFor, type TerminalStream } from '../core/terminal-writer.js';

/**
 * Ctrl-C and SIGTERM as an AbortSignal: the first one aborts the running work (which then
 * saves what it has); a second one falls back to Node's default and ends the process at once.
 */
export interface Interrupt {
  signal: AbortSignal;
  dispose(): void;
}

/** @param doing what the interrupt does, said on stderr: `stopping the capture; finished files are kept`. */
export function listenForInterrupt(
  doing = 'stopping the current step and saving the session…',
  stderr: TerminalStream = process.stderr,
): Interrupt {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals) => {
    terminalFor(stderr).line(`\n${name}: ${doing}`);
    dispose();
    controller.abort(new Error(`interrupted by ${name}`));
  };
  const dispose = () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return { signal: controller.signal, dispose };
}
