/** Typed readers for commander's untyped option bag. */
import { UsageError } from '../core/errors.js';
import { STEPS, type StepId } from '../core/model.js';

export type Options = Record<string, unknown>;

export function str(opts: Options, name: string): string | undefined {
  const v = opts[name];
  return typeof v === 'string' ? v : undefined;
}

export function strs(opts: Options, name: string): string[] {
  const v = opts[name];
  return Array.isArray(v) ? v.map(String) : [];
}

export function flag(opts: Options, name: string): boolean {
  return opts[name] === true;
}

/** `key=value` pairs (repeatable flags) → object; the flag is named in errors. */
export function keyValues(items: string[], flagName: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of items) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UsageError(`${flagName} takes key=value, got '${item}'`);
    out[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return out;
}

export function stepId(value: string | undefined, flagName: string): StepId | undefined {
  if (value === undefined) return undefined;
  if (!(STEPS as readonly string[]).includes(value))
    throw new UsageError(`${flagName}: '${value}' is not a step; steps are ${STEPS.join(', ')}`);
  return value as StepId;
}

export function positiveInt(value: string | undefined, flagName: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flagName} takes a whole number ≥ 1, got '${value}'`);
  return n;
}
