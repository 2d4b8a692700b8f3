/** Assertions on the errors a call throws. */
import { expect } from 'vitest';
import { UsageError } from '../../src/core/errors.ts';

/** The UsageError a call throws (fails the test if it does not throw one). */
export function usageError(fn: () => unknown): UsageError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return error as UsageError;
  }
  throw new Error('expected a UsageError');
}
