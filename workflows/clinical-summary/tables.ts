/**
 * The clinical summary's shipped reference tables: drugs with their class and largest single dose,
 * allergy words, interacting pairs, critical lab ranges and follow-up policy. Small, invented for the demo,
 * and deliberately conservative; a clinic replaces them with its formulary. Pure data: workflow-safe.
 */

export type DoseUnit = 'mg' | 'mcg' | 'g' | 'units' | 'meq';

export interface DrugEntry {
  /** The generic name, lower case: what the tables and the reconciliation call the drug. */
  name: string;
  /** Other names a document may use (brands, abbreviations), lower case. */
  aliases?: readonly string[];
  drugClass: string;
  /** The largest single dose the demo formulary allows. */
  maxDose: { value: number; unit: DoseUnit };
}

export const DRUGS: readonly DrugEntry[] = [
  { name: 'amoxicillin', drugClass: 'penicillins', maxDose: { value: 1000, unit: 'mg' } },
  {
    name: 'penicillin',
    aliases: ['penicillin v', 'pen vk'],
    drugClass: 'penicillins',
    maxDose: { value: 500, unit: 'mg' },
  },
  { name: 'ampicillin', drugClass: 'penicillins', maxDose: { value: 2000, unit: 'mg' } },
  {
    name: 'cephalexin',
    aliases: ['keflex'],
    drugClass: 'cephalosporins',
    maxDose: { value: 1000, unit: 'mg' },
  },
  { name: 'ceftriaxone', drugClass: 'cephalosporins', maxDose: { value: 2000, unit: 'mg' } },
  {
    name: 'azithromycin',
    aliases: ['zithromax'],
    drugClass: 'macrolides',
    maxDose: { value: 500, unit: 'mg' },
  },
  { name: 'clarithromycin', drugClass: 'macrolides', maxDose: { value: 500, unit: 'mg' } },
  {
    name: 'sulfamethoxazole-trimethoprim',
    aliases: ['bactrim', 'tmp-smx', 'co-trimoxazole'],
    drugClass: 'sulfonamides',
    maxDose: { value: 800, unit: 'mg' },
  },
  {
    name: 'ciprofloxacin',
    aliases: ['cipro'],
    drugClass: 'fluoroquinolones',
    maxDose: { value: 750, unit: 'mg' },
  },
  {
    name: 'ibuprofen',
    aliases: ['advil', 'motrin'],
    drugClass: 'nsaids',
    maxDose: { value: 800, unit: 'mg' },
  },
  { name: 'naproxen', aliases: ['aleve'], drugClass: 'nsaids', maxDose: { value: 500, unit: 'mg' } },
  { name: 'aspirin', aliases: ['asa'], drugClass: 'nsaids', maxDose: { value: 650, unit: 'mg' } },
  {
    name: 'acetaminophen',
    aliases: ['paracetamol', 'tylenol'],
    drugClass: 'analgesics',
    maxDose: { value: 1000, unit: 'mg' },
  },
  {
    name: 'warfarin',
    aliases: ['coumadin'],
    drugClass: 'anticoagulants',
    maxDose: { value: 10, unit: 'mg' },
  },
  { name: 'apixaban', aliases: ['eliquis'], drugClass: 'anticoagulants', maxDose: { value: 10, unit: 'mg' } },
  {
    name: 'clopidogrel',
    aliases: ['plavix'],
    drugClass: 'antiplatelets',
    maxDose: { value: 75, unit: 'mg' },
  },
  { name: 'metformin', drugClass: 'biguanides', maxDose: { value: 1000, unit: 'mg' } },
  { name: 'lisinopril', drugClass: 'ace_inhibitors', maxDose: { value: 40, unit: 'mg' } },
  { name: 'enalapril', drugClass: 'ace_inhibitors', maxDose: { value: 40, unit: 'mg' } },
  { name: 'losartan', drugClass: 'arbs', maxDose: { value: 100, unit: 'mg' } },
  { name: 'spironolactone', drugClass: 'potassium_sparing_diuretics', maxDose: { value: 100, unit: 'mg' } },
  { name: 'furosemide', aliases: ['lasix'], drugClass: 'loop_diuretics', maxDose: { value: 80, unit: 'mg' } },
  { name: 'atorvastatin', aliases: ['lipitor'], drugClass: 'statins', maxDose: { value: 80, unit: 'mg' } },
  { name: 'simvastatin', drugClass: 'statins', maxDose: { value: 40, unit: 'mg' } },
  { name: 'metoprolol', drugClass: 'beta_blockers', maxDose: { value: 200, unit: 'mg' } },
  { name: 'amlodipine', drugClass: 'calcium_channel_blockers', maxDose: { value: 10, unit: 'mg' } },
  { name: 'sertraline', aliases: ['zoloft'], drugClass: 'ssris', maxDose: { value: 200, unit: 'mg' } },
  { name: 'fluoxetine', aliases: ['prozac'], drugClass: 'ssris', maxDose: { value: 80, unit: 'mg' } },
  { name: 'tramadol', drugClass: 'opioids', maxDose: { value: 100, unit: 'mg' } },
  { name: 'oxycodone', drugClass: 'opioids', maxDose: { value: 30, unit: 'mg' } },
  { name: 'morphine', drugClass: 'opioids', maxDose: { value: 30, unit: 'mg' } },
  { name: 'codeine', drugClass: 'opioids', maxDose: { value: 60, unit: 'mg' } },
  { name: 'lorazepam', aliases: ['ativan'], drugClass: 'benzodiazepines', maxDose: { value: 4, unit: 'mg' } },
  {
    name: 'levothyroxine',
    aliases: ['synthroid'],
    drugClass: 'thyroid_hormones',
    maxDose: { value: 300, unit: 'mcg' },
  },
  { name: 'prednisone', drugClass: 'corticosteroids', maxDose: { value: 80, unit: 'mg' } },
  { name: 'omeprazole', drugClass: 'proton_pump_inhibitors', maxDose: { value: 40, unit: 'mg' } },
  { name: 'digoxin', drugClass: 'cardiac_glycosides', maxDose: { value: 250, unit: 'mcg' } },
  {
    name: 'potassium chloride',
    aliases: ['kcl'],
    drugClass: 'potassium_supplements',
    maxDose: { value: 40, unit: 'meq' },
  },
  {
    name: 'insulin glargine',
    aliases: ['lantus'],
    drugClass: 'insulins',
    maxDose: { value: 80, unit: 'units' },
  },
];

/** Words an allergy list uses for a whole class, beside the drugs' own names (which name their class). */
export const ALLERGY_CLASS_WORDS: Readonly<Record<string, string>> = {
  penicillins: 'penicillins',
  'penicillin class': 'penicillins',
  cephalosporins: 'cephalosporins',
  sulfa: 'sulfonamides',
  'sulfa drugs': 'sulfonamides',
  sulfonamides: 'sulfonamides',
  nsaids: 'nsaids',
  nsaid: 'nsaids',
  macrolides: 'macrolides',
  opioids: 'opioids',
  opiates: 'opioids',
  statins: 'statins',
  'ace inhibitors': 'ace_inhibitors',
  fluoroquinolones: 'fluoroquinolones',
};

/** Pairs of classes (or drugs, by name) that must not be given together without a clinician's look. */
export const INTERACTIONS: readonly { between: readonly [string, string]; risk: string }[] = [
  { between: ['anticoagulants', 'nsaids'], risk: 'bleeding' },
  { between: ['anticoagulants', 'antiplatelets'], risk: 'bleeding' },
  { between: ['warfarin', 'macrolides'], risk: 'raised INR' },
  { between: ['warfarin', 'fluoroquinolones'], risk: 'raised INR' },
  { between: ['ace_inhibitors', 'potassium_sparing_diuretics'], risk: 'hyperkalaemia' },
  { between: ['arbs', 'potassium_sparing_diuretics'], risk: 'hyperkalaemia' },
  { between: ['ace_inhibitors', 'potassium_supplements'], risk: 'hyperkalaemia' },
  { between: ['ssris', 'tramadol'], risk: 'serotonin syndrome' },
  { between: ['opioids', 'benzodiazepines'], risk: 'respiratory depression' },
  { between: ['clopidogrel', 'omeprazole'], risk: 'reduced antiplatelet effect' },
  { between: ['simvastatin', 'clarithromycin'], risk: 'myopathy' },
  { between: ['digoxin', 'loop_diuretics'], risk: 'digoxin toxicity with low potassium' },
];

export interface CriticalLab {
  /** What the table calls the test. */
  test: string;
  /** How documents write it, lower case (matched as whole words). */
  names: readonly string[];
  unit: string;
  low?: number;
  high?: number;
}

/** Values outside these ranges are critical: a clinician must see the document the same day. */
export const CRITICAL_LABS: readonly CriticalLab[] = [
  { test: 'potassium', names: ['potassium', 'k+'], unit: 'mmol/L', low: 2.8, high: 6.0 },
  { test: 'sodium', names: ['sodium', 'na+'], unit: 'mmol/L', low: 120, high: 160 },
  { test: 'glucose', names: ['glucose', 'blood glucose', 'blood sugar'], unit: 'mg/dL', low: 50, high: 400 },
  { test: 'hemoglobin', names: ['hemoglobin', 'haemoglobin', 'hgb', 'hb'], unit: 'g/dL', low: 7 },
  { test: 'platelets', names: ['platelets', 'platelet count', 'plt'], unit: '10^9/L', low: 20, high: 1000 },
  { test: 'inr', names: ['inr'], unit: 'ratio', high: 5 },
  { test: 'calcium', names: ['calcium', 'ca'], unit: 'mg/dL', low: 6.5, high: 13 },
  { test: 'lactate', names: ['lactate', 'lactic acid'], unit: 'mmol/L', high: 4 },
  { test: 'wbc', names: ['wbc', 'white blood cells', 'white cell count'], unit: '10^9/L', low: 2, high: 30 },
];

/** How soon a document of each kind needs its follow-up, and with whom, when it names none. */
export const FOLLOW_UP_POLICY: Readonly<Record<string, { withinDays: number; with: string }>> = {
  discharge_summary: { withinDays: 7, with: 'primary_care' },
  referral: { withinDays: 30, with: 'specialist' },
  lab_report: { withinDays: 14, with: 'primary_care' },
  visit_note: { withinDays: 90, with: 'primary_care' },
  other: { withinDays: 30, with: 'primary_care' },
};
