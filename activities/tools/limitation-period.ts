import type { z } from 'zod';
import { LimitationPeriodArgs, LimitationPeriodResult } from '../../agents';
import { invalidToolArguments, parseToolArgs } from './arguments';
import type { ToolDeps } from './deps';
import { addMonths, daysBetween, isCalendarDate } from '../../domain';

/**
 * The model's arguments plus `asOf`, today's date as the workflow sees it (workflow time), so a replay
 * computes the same days remaining as the original run.
 */
export const LimitationPeriodInput = LimitationPeriodArgs.extend({ asOf: LimitationPeriodResult.shape.asOf });
export type LimitationPeriodInput = z.infer<typeof LimitationPeriodInput>;

interface RuleRow {
  period_months: number;
  basis: string;
}

/**
 * `limitationPeriod`: the period for a matter type in a jurisdiction and, given the incident date, the
 * deadline and the days left. `known` is true only when there is a deadline; otherwise `basis` says what
 * is missing (jurisdiction, a rule, or the incident date) so the model can ask for it.
 */
export function createLimitationPeriod({ db, logger }: ToolDeps) {
  const log = logger.child({ activity: 'limitationPeriod' });
  return async function limitationPeriod(input: LimitationPeriodInput): Promise<LimitationPeriodResult> {
    const { jurisdiction, matterType, incidentDate, asOf } = parseToolArgs(
      'limitationPeriod',
      LimitationPeriodInput,
      input,
    );
    for (const [field, value] of [
      ['incidentDate', incidentDate],
      ['asOf', asOf],
    ] as const) {
      if (value !== null && !isCalendarDate(value)) {
        throw invalidToolArguments('limitationPeriod', `${field}: not a calendar date`);
      }
    }

    const result = await answer();
    log.info(
      { jurisdiction, matterType, known: result.known, daysRemaining: result.daysRemaining },
      'limitation period',
    );
    return result;

    async function answer(): Promise<LimitationPeriodResult> {
      const unknown = { known: false, periodMonths: null, deadline: null, daysRemaining: null, asOf };
      if (jurisdiction === null) {
        return {
          ...unknown,
          basis: 'No jurisdiction: the period depends on the state whose law applies. Ask where it happened.',
        };
      }
      const { rows } = await db.query<RuleRow>(
        'SELECT period_months, basis FROM limitation_rules WHERE jurisdiction = $1 AND matter_type = $2',
        [jurisdiction, matterType],
      );
      const rule = rows[0];
      if (!rule) {
        return {
          ...unknown,
          basis: `No limitation rule on file for ${matterType} in ${jurisdiction}: a person must determine the period.`,
        };
      }
      if (incidentDate === null) {
        return {
          ...unknown,
          periodMonths: rule.period_months,
          basis: `${rule.basis} No incident date, so no deadline: ask when the cause of action arose.`,
        };
      }
      const deadline = addMonths(incidentDate, rule.period_months);
      return {
        known: true,
        periodMonths: rule.period_months,
        deadline,
        daysRemaining: daysBetween(asOf, deadline),
        basis: rule.basis,
        asOf,
      };
    }
  };
}
