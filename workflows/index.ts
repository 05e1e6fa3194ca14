/** The workflow bundle's entry: every workflow function Docket registers. */
export { legalIntake } from './legal-intake';
export type { LegalIntakeInput, LegalIntakeSettings } from './legal-intake';
export { deliverNotification } from './notifications';
