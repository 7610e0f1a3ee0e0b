import { type AdvanceInput, type AdvanceResult, advanceAlerts } from './alert-lifecycle';
import { type DropDetection, detectDrops } from './detect-drops';

export interface EvaluationResult extends AdvanceResult {
  detection: DropDetection;
}

/** Detection and lifecycle in one pure step: what a scheduled evaluation of one survey runs. */
export function evaluateAlerts(args: Omit<AdvanceInput, 'detection'>): EvaluationResult {
  const detection = detectDrops(args.input);
  return { detection, ...advanceAlerts({ ...args, detection }) };
}
