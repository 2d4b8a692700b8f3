/**
 * Teaches the secret registry (core/secret-registry.ts) what this command line holds, before any
 * command runs, so no sink — logger, error message, database, report — shows it: every
 * `--header` value, the credentials in `--target` URLs, secret-named `--param` values and
 * `--answer` values to secret-named questions.
 */
import { registerHeaderSecret, registerParamSecrets, registerSecret, registerUrlSecrets } from '../core/secret-sources.js';
import { isSecretName } from '../core/secret-names.js';
import { strs, type Options } from './options.js';

/** Registers the secrets of commander's option bag (malformed `key=value` items are left to the command to refuse). */
export function registerFlagSecrets(opts: Options): void {
  for (const header of strs(opts, 'header')) registerHeaderSecret(header);
  for (const target of strs(opts, 'target')) registerUrlSecrets(target);
  registerParamSecrets(pairs(strs(opts, 'param')));
  for (const [key, value] of Object.entries(pairs(strs(opts, 'answer')))) {
    if (isSecretName(key)) registerSecret(value);
    registerUrlSecrets(value);
  }
}

function pairs(items: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of items) {
    const eq = item.indexOf('=');
    if (eq > 0) out[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return out;
}
