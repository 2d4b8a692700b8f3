/** Step id → the function that does the step's work. */
import type { StepId } from '../../core/model.js';
import type { StepFn } from '../types.js';
import { runAlertStep } from './alert.js';
import { runAnalyzeStep } from './analyze.js';
import { runFixStep } from './fix.js';
import { runGatherStep } from './gather.js';
import { runHypothesizeStep } from './hypothesize.js';
import { runPostmortemStep } from './postmortem.js';

export const STEP_FUNCTIONS: Record<StepId, StepFn> = {
  alert: runAlertStep,
  gather: runGatherStep,
  analyze: runAnalyzeStep,
  hypothesize: runHypothesizeStep,
  fix: runFixStep,
  postmortem: runPostmortemStep,
};
