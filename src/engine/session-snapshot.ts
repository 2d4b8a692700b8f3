/**
 * The machine state as the store keeps it: a small, versioned JSON document of our own
 * (not xstate's internal persisted format), validated whenever it is read. A document this
 * build cannot read — garbage, a state that no longer exists, a field of the wrong type, a
 * newer version — is refused with a message saying what to do; the incident's evidence
 * stays readable through `show` and `report`.
 *
 * Versions:
 *  1. xstate's own `getPersistedSnapshot()` (`{status, value, context, children, …}`),
 *     written before the session loop drove the machine as a pure function.
 *  2. `{version: 2, state, context}`.
 */
import { z } from 'zod';
import { StoreError } from '../core/errors.js';
import { STEPS } from '../core/model.js';
import { restoreSnapshot, stateOf, type TriageSnapshot } from './machine.js';

export const SNAPSHOT_VERSION = 2;

const stepSummarySchema = z.strictObject({
  step: z.enum(STEPS),
  stepRunId: z.number().int().positive(),
  status: z.enum(['finished', 'skipped']),
  reason: z.string().nullable().optional(),
  confirmed: z.number().int().min(0).optional(),
  verified: z.boolean().optional(),
});

const contextSchema = z.strictObject({
  incidentId: z.string().min(1),
  maxRounds: z.number().int().min(1),
  analyzeRounds: z.number().int().min(0),
  fixRounds: z.number().int().min(0),
  last: stepSummarySchema.nullable(),
});

const savedSchema = z.strictObject({
  version: z.literal(SNAPSHOT_VERSION),
  state: z.enum([...STEPS, 'done']),
  context: contextSchema,
});

export type SavedSnapshot = z.infer<typeof savedSchema>;

/** The document to store for `snapshot`. */
export function saveSnapshot(snapshot: TriageSnapshot): SavedSnapshot {
  return { version: SNAPSHOT_VERSION, state: stateOf(snapshot), context: { ...snapshot.context } };
}

/**
 * Reads a stored document back into a machine snapshot, migrating older versions.
 * @throws StoreError (exit 1) when it cannot be read, naming the incident and what to do.
 */
export function loadSnapshot(stored: unknown, incidentId: string): TriageSnapshot {
  const migrated = migrate(stored, incidentId);
  const parsed = savedSchema.safeParse(migrated);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
    throw unreadable(incidentId, `${issue.message}${where}`);
  }
  if (parsed.data.context.incidentId !== incidentId) {
    throw unreadable(incidentId, `it belongs to incident ${parsed.data.context.incidentId}`);
  }
  return restoreSnapshot(parsed.data.state, parsed.data.context);
}

function migrate(stored: unknown, incidentId: string): unknown {
  if (!isObject(stored)) throw unreadable(incidentId, `it is ${stored === null ? 'null' : typeof stored}, not an object`);
  if (typeof stored.version === 'number') {
    if (stored.version > SNAPSHOT_VERSION) {
      throw new StoreError(
        `incident ${incidentId} was saved by a newer gotriage (state version ${stored.version}; this one reads up to ${SNAPSHOT_VERSION})`,
        `resume it with that newer gotriage; gotriage show ${incidentId} and gotriage report ${incidentId} still work here`,
      );
    }
    return stored;
  }
  // Version 1: xstate's persisted snapshot. Only its value and context carry meaning.
  if ('value' in stored && 'context' in stored && 'status' in stored) {
    return { version: SNAPSHOT_VERSION, state: stored.value, context: stored.context };
  }
  throw unreadable(incidentId, 'it has no version and is not a snapshot an earlier gotriage wrote');
}

function unreadable(incidentId: string, why: string): StoreError {
  return new StoreError(
    `the saved state of incident ${incidentId} cannot be read: ${why}`,
    `its evidence is intact (gotriage show ${incidentId}, gotriage report ${incidentId}); to triage again, start a new incident`,
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
