import type { Jurisdiction, MatterType } from '../domain';

/**
 * ILLUSTRATIVE FIGURES FOR THE DEMO DIRECTORY, NOT LEGAL ADVICE. Loosely modelled on common periods, but
 * simplified (one figure per state and matter type, no tolling, no discovery rule) and not maintained.
 * No rule for family, immigration, criminal defense or other: the tool answers "unknown" and a person decides.
 */
const LIMITATION_MONTHS: Partial<Record<MatterType, { months: Record<Jurisdiction, number>; what: string }>> =
  {
    personal_injury: {
      months: { 'US-CA': 24, 'US-NY': 36, 'US-TX': 24, 'US-FL': 24, 'US-IL': 24, 'US-WA': 36 },
      what: 'personal injury (negligence), from the incident',
    },
    employment: {
      months: { 'US-CA': 36, 'US-NY': 36, 'US-TX': 6, 'US-FL': 12, 'US-IL': 24, 'US-WA': 36 },
      what: 'employment discrimination or wrongful termination, from the adverse action',
    },
    commercial_contract: {
      months: { 'US-CA': 48, 'US-NY': 72, 'US-TX': 48, 'US-FL': 60, 'US-IL': 120, 'US-WA': 72 },
      what: 'breach of a written contract, from the breach',
    },
    real_estate: {
      months: { 'US-CA': 48, 'US-NY': 72, 'US-TX': 48, 'US-FL': 60, 'US-IL': 120, 'US-WA': 72 },
      what: 'breach of a written contract concerning real property, from the breach',
    },
    estate_probate: {
      months: { 'US-CA': 12, 'US-NY': 12, 'US-TX': 48, 'US-FL': 24, 'US-IL': 24, 'US-WA': 24 },
      what: "claims against a decedent's estate, from the date of death",
    },
    intellectual_property: {
      months: { 'US-CA': 36, 'US-NY': 36, 'US-TX': 36, 'US-FL': 36, 'US-IL': 36, 'US-WA': 36 },
      what: 'copyright infringement (federal), from the infringement',
    },
  };

/** One row per jurisdiction and matter type above; `basis` says in every row that it is demo data. */
export const SEED_LIMITATION_RULES: ReadonlyArray<{
  jurisdiction: string;
  matterType: string;
  periodMonths: number;
  basis: string;
}> = Object.entries(LIMITATION_MONTHS).flatMap(([matterType, { months, what }]) =>
  Object.entries(months).map(([jurisdiction, periodMonths]) => ({
    jurisdiction,
    matterType,
    periodMonths,
    basis: `Illustrative (demo data, not legal advice): ${jurisdiction} ${what}, ${describeMonths(periodMonths)}.`,
  })),
);

function describeMonths(months: number): string {
  if (months % 12 !== 0) return `${months} months`;
  return months === 12 ? '1 year' : `${months / 12} years`;
}
