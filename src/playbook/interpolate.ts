/**
 * Fills `{{name}}` placeholders in playbook arguments and text from incident data.
 *
 * Values are data, never templates: substitution is one pass over the template (a value
 * containing `{{secret}}` stays literal), and one template argument always yields exactly
 * one argv entry — there is no shell, so `; rm -rf /` or `$(id)` inside a value is just text.
 */
import { UsageError } from '../core/errors.js';
import { redactArgv, redactSecrets } from '../core/redact.js';
import { isSecretName } from '../core/secret-names.js';
import { registerSecret, registerUrlSecrets } from '../core/secret-sources.js';

/**
 * `{{name}}` or `{{ name }}`; names may hold dots for answers (`alert.service`) and findings.
 * Not exported: a shared global regexp carries `lastIndex` state between callers.
 */
const PLACEHOLDER = /\{\{\s*([a-zA-Z][a-zA-Z0-9_.]*)\s*\}\}/g;

/** Runtime params that come from flags; the rest of RUNTIME_PARAMS are set by gotriage itself. */
const RUNTIME_FLAGS: Record<string, string> = {
  target: '--target',
  pprofBase: '--pprof-base',
  serviceDir: '--service-dir',
  service: '--service',
};
const SET_BY_GOTRIAGE = new Set(['incidentId', 'workDir']);

/** The placeholder names a template uses, in order of first use. */
export function placeholdersIn(template: string): string[] {
  const names = new Set<string>();
  for (const match of template.matchAll(PLACEHOLDER)) names.add(match[1]!);
  return [...names];
}

/**
 * `{{…}}` sequences that are not placeholders (`{{ two words }}`, `{{1x}}`): they are passed
 * through literally, which is rarely what the author meant.
 */
export function malformedPlaceholdersIn(template: string): string[] {
  return [...template.matchAll(/\{\{[^{}]*\}\}/g)].map((match) => match[0]).filter((text) => text.search(PLACEHOLDER) !== 0);
}

/** Where a value for `name` comes from, for error messages ("--target", "params.go"…). */
export function describePlaceholderSource(name: string): string {
  const flag = RUNTIME_FLAGS[name];
  if (flag) return `the ${flag} flag`;
  if (SET_BY_GOTRIAGE.has(name)) return 'gotriage itself';
  const dot = name.indexOf('.');
  // The alert fills these (src/collect/alert-params.ts); --param overrides them.
  if (/^(alert|window|label)\./.test(name)) return `the alert (--alert FILE), or --param ${name}=…`;
  if (dot > 0) return `the answer to prompt '${name.slice(dot + 1)}' of step ${name.slice(0, dot)} (--answer ${name}=…)`;
  return `params.${name} in the playbook (override with --param ${name}=…)`;
}

/** Shows a value in an error without leaking credentials or flooding the terminal. */
function showValue(value: string): string {
  const shown = redactSecrets(value);
  return JSON.stringify(shown.length > 80 ? `${shown.slice(0, 77)}...` : shown);
}

function lookup(values: Record<string, string>, name: string): string | undefined {
  // Own properties only: `{{constructor}}` must not find Object.prototype.constructor.
  return Object.prototype.hasOwnProperty.call(values, name) ? values[name] : undefined;
}

/**
 * True when a placeholder's value is a secret: its name says so (`token`, `apiKey`), or the
 * value holds one — a value this run knows is secret (secret-registry.ts), credentials in a URL
 * (`http://user:pass@…`, `?token=…`), or anything else the redaction patterns would mask.
 */
function holdsSecret(name: string, value: string): boolean {
  return (isSecretName(name) && value !== '') || redactSecrets(value) !== value;
}

/**
 * Fills the placeholders of each argument; the result has exactly as many entries as `args`.
 * Command arguments are public — any user on the machine reads them in `/proc/<pid>/cmdline`
 * or `ps` — so a secret is refused here; the action passes it through `env:` instead.
 * @param where names the action for error messages, e.g. `gather action race-test`.
 * @throws UsageError for an unknown placeholder, a value holding a NUL byte, a value that is or
 * holds a secret, or an argument that begins with a placeholder and would begin with `-` once
 * filled (go, pprof and dlv would read it as a flag). Arguments after a literal `--` may start
 * with `-`: Go's flag package stops parsing flags at `--`.
 */
export function fillArgs(args: readonly string[], values: Record<string, string>, where: string): string[] {
  return fillStrings(args, values, where, 'argument');
}

/**
 * Fills one playbook string that never reaches a command line: a URL gotriage fetches itself
 * (`prometheus: "{{prometheusUrl}}"`, where credentials are expected), a working directory.
 * Same rules as {@link fillArgs} except that a secret is allowed.
 */
export function fillValue(template: string, values: Record<string, string>, where: string): string {
  return fillStrings([template], values, where, 'value')[0]!;
}

/**
 * Fills an action's `env:` values — the place for secrets, since a process's environment is
 * readable only by its owner. Every value that holds a secret (by its variable's name, by a
 * placeholder's name, or by its content) is registered as one, so its value is masked wherever
 * the tool might echo it; env values are never logged or stored.
 */
export function fillEnv(env: Readonly<Record<string, string>>, values: Record<string, string>, where: string): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).map(([key, template]) => {
      const filled = fillValue(template, values, `${where} env ${key}`);
      const secret = isSecretName(key) || placeholdersIn(template).some((name) => holdsSecret(name, lookup(values, name) ?? ''));
      if (secret) registerSecret(filled);
      registerUrlSecrets(filled);
      return [key, filled];
    }),
  );
}

function fillStrings(args: readonly string[], values: Record<string, string>, where: string, kind: 'argument' | 'value'): string[] {
  let afterDoubleDash = false;
  const used: { index: number; name: string; value: string }[] = [];
  const filledArgs = args.map((template, index) => {
    const what = kind === 'argument' ? `argument ${index + 1}` : 'value';
    if (template.includes('\0'))
      throw new UsageError(`${where}: ${what} of the playbook contains a NUL byte`, 'remove the \\0 escape from the playbook');
    const filled = template.replace(PLACEHOLDER, (_whole, name: string) => {
      const value = lookup(values, name);
      if (value === undefined) {
        throw new UsageError(
          `${where}: unknown placeholder {{${name}}} in argument ${JSON.stringify(template)}: no value was given by ${describePlaceholderSource(name)}`,
          'give the value, or declare the parameter with a default under params: in the playbook (gotriage validate checks this)',
        );
      }
      if (value.includes('\0')) {
        throw new UsageError(
          `${where}: the value of {{${name}}} (from ${describePlaceholderSource(name)}) contains a NUL byte, which no command argument can carry`,
          'remove the NUL byte from the value',
        );
      }
      if (kind === 'argument' && holdsSecret(name, value)) throw secretInArgv(where, name, template);
      used.push({ index, name, value });
      return value;
    });
    // String#search ignores the global flag and lastIndex, so this is stateless.
    if (kind === 'argument' && !afterDoubleDash && template.search(PLACEHOLDER) === 0 && filled.startsWith('-')) {
      const name = placeholdersIn(template)[0]!;
      throw new UsageError(
        `${where}: the value of {{${name}}} (${showValue(filled)}, from ${describePlaceholderSource(name)}) starts with '-', so the tool would read it as a flag`,
        "give a value that does not start with '-' (for a path, write ./-name)",
      );
    }
    if (template === '--') afterDoubleDash = true;
    return filled;
  });
  if (kind === 'argument') {
    // A plain-looking value can still be a secret by where it lands: `--password={{p}}`, or the
    // argument after `--token`. What the argv redaction masks there, the command line must not carry.
    const shown = redactArgv(filledArgs);
    const hidden = used.find(({ index, value }) => value !== '' && !shown[index]!.includes(value));
    if (hidden) throw secretInArgv(where, hidden.name, args[hidden.index]!);
  }
  return filledArgs;
}

function secretInArgv(where: string, name: string, template: string): UsageError {
  return new UsageError(
    `${where}: {{${name}}} in the argument ${JSON.stringify(template)} would put a secret on the tool's command line, which every user of the machine can read (/proc/<pid>/cmdline, ps)`,
    `pass it through the action's env: instead, e.g. env: { ${envNameFor(name)}: "{{${name}}}" }, and let the tool read it from there`,
  );
}

/** `alert.apiToken` → `ALERT_API_TOKEN`: a name to suggest for the environment variable. */
function envNameFor(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .toUpperCase();
}

/**
 * Fills placeholders in human text (statements, descriptions). Unknown placeholders stay as
 * written, and values are inserted verbatim in one pass, so data is never expanded again.
 */
export function fillText(text: string, values: Record<string, string>): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => lookup(values, name) ?? whole);
}
