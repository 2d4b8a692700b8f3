/**
 * `playbook validate` warns about command arguments whose placeholders can hold a secret.
 * A process's arguments are readable by every user of the machine (/proc/<pid>/cmdline, ps),
 * its environment only by its owner; so secrets go through an action's `env:`. When the value
 * does hold a secret at run time, fillArgs (interpolate.ts) refuses to start the tool; this
 * warning says so before any session starts.
 */
import { isSecretName } from '../core/secret-names.js';
import { placeholdersIn } from './interpolate.js';
import type { Playbook } from './schema.js';
import type { KeyPath } from './yaml-positions.js';

/** Where the warnings go (validate-actions.ts's ProblemSink; not imported, which would make a cycle). */
interface WarningSink {
  warn(path: KeyPath, message: string): void;
}

/** Names whose values are URLs, which may carry `user:password@` or a `?token=`. */
const URL_NAME = /(?:url|uri|endpoint|dsn|addr|address)$/i;
const URL_VALUE = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;

/** Why a placeholder can hold a secret, or undefined when it cannot. */
export function secretRisk(name: string, playbook: Playbook): string | undefined {
  if (isSecretName(name)) return 'its name says it holds a secret';
  if (name === 'target' || name === 'targets') return 'a target URL may carry user:password@ or a token parameter';
  const declared = Object.prototype.hasOwnProperty.call(playbook.params, name) ? playbook.params[name] : undefined;
  if (URL_NAME.test(name) || (declared !== undefined && URL_VALUE.test(declared)))
    return 'it holds a URL, which may carry user:password@ or a token parameter';
  return undefined;
}

/** Warns at each argument (file:line:col) that uses a placeholder that can hold a secret. */
export function checkSecretPlaceholders(args: readonly string[], argsPath: KeyPath, playbook: Playbook, sink: WarningSink): void {
  args.forEach((arg, index) => {
    for (const name of placeholdersIn(arg)) {
      const risk = secretRisk(name, playbook);
      if (!risk) continue;
      sink.warn(
        [...argsPath, index],
        `{{${name}}} can hold a secret (${risk}), and command arguments are readable by every user of the machine (/proc/<pid>/cmdline, ps): pass it through env: instead; a value that does hold a secret is refused when the action runs`,
      );
    }
  });
}
