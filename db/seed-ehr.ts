/**
 * The demo EHR `npm start` and the tests load for the clinical summary: invented patients, each with the
 * medications the record lists as active and the allergies on file. What the examples and the clinical
 * eval corpus rely on:
 * - Eleanor Voss (MRN 00417733) is allergic to penicillin and takes warfarin: amoxicillin is an
 *   allergy conflict, ibuprofen an interaction.
 * - Marcus Bell (MRN 00522190) takes lisinopril and metformin; Priya Raman (00633001) takes sertraline.
 * - Walter Ng (00744512) is allergic to sulfa drugs and takes digoxin, furosemide and atorvastatin.
 * - Ana Castillo (00855307) is allergic to codeine; Samuel Okafor (00966420) takes levothyroxine and
 *   omeprazole; Hannah Berg (01077215) takes clopidogrel and simvastatin; Luis Ortega (01188034) has no
 *   medications or allergies; Grace Liu (01299876) takes lorazepam; Tomas Novak (01300452) takes apixaban
 *   and amlodipine and is allergic to NSAIDs.
 * All people are invented; their record numbers are not real ones.
 */

export interface SeedPatient {
  patientId: string;
  mrn: string;
  name: string;
  birthDate: string;
  medications: ReadonlyArray<{ name: string; dose: number | null; unit: string | null }>;
  allergies: ReadonlyArray<{ substance: string; reaction: string | null }>;
}

export const SEED_PATIENTS: readonly SeedPatient[] = [
  {
    patientId: 'pat-0001',
    mrn: '00417733',
    name: 'Eleanor Voss',
    birthDate: '1948-03-14',
    medications: [
      { name: 'warfarin', dose: 5, unit: 'mg' },
      { name: 'metoprolol', dose: 50, unit: 'mg' },
    ],
    allergies: [{ substance: 'penicillin', reaction: 'hives' }],
  },
  {
    patientId: 'pat-0002',
    mrn: '00522190',
    name: 'Marcus Bell',
    birthDate: '1961-11-02',
    medications: [
      { name: 'lisinopril', dose: 20, unit: 'mg' },
      { name: 'metformin', dose: 500, unit: 'mg' },
    ],
    allergies: [],
  },
  {
    patientId: 'pat-0003',
    mrn: '00633001',
    name: 'Priya Raman',
    birthDate: '1985-07-21',
    medications: [{ name: 'sertraline', dose: 100, unit: 'mg' }],
    allergies: [{ substance: 'latex', reaction: 'rash' }],
  },
  {
    patientId: 'pat-0004',
    mrn: '00744512',
    name: 'Walter Ng',
    birthDate: '1939-01-30',
    medications: [
      { name: 'digoxin', dose: 125, unit: 'mcg' },
      { name: 'furosemide', dose: 40, unit: 'mg' },
      { name: 'atorvastatin', dose: 40, unit: 'mg' },
    ],
    allergies: [{ substance: 'sulfa drugs', reaction: 'rash' }],
  },
  {
    patientId: 'pat-0005',
    mrn: '00855307',
    name: 'Ana Castillo',
    birthDate: '1992-05-09',
    medications: [],
    allergies: [{ substance: 'codeine', reaction: 'vomiting' }],
  },
  {
    patientId: 'pat-0006',
    mrn: '00966420',
    name: 'Samuel Okafor',
    birthDate: '1957-09-17',
    medications: [
      { name: 'levothyroxine', dose: 100, unit: 'mcg' },
      { name: 'omeprazole', dose: 20, unit: 'mg' },
    ],
    allergies: [],
  },
  {
    patientId: 'pat-0007',
    mrn: '01077215',
    name: 'Hannah Berg',
    birthDate: '1970-12-05',
    medications: [
      { name: 'clopidogrel', dose: 75, unit: 'mg' },
      { name: 'simvastatin', dose: 20, unit: 'mg' },
    ],
    allergies: [],
  },
  {
    patientId: 'pat-0008',
    mrn: '01188034',
    name: 'Luis Ortega',
    birthDate: '2001-02-27',
    medications: [],
    allergies: [],
  },
  {
    patientId: 'pat-0009',
    mrn: '01299876',
    name: 'Grace Liu',
    birthDate: '1976-08-12',
    medications: [{ name: 'lorazepam', dose: 1, unit: 'mg' }],
    allergies: [],
  },
  {
    patientId: 'pat-0010',
    mrn: '01300452',
    name: 'Tomas Novak',
    birthDate: '1953-04-03',
    medications: [
      { name: 'apixaban', dose: 5, unit: 'mg' },
      { name: 'amlodipine', dose: 5, unit: 'mg' },
    ],
    allergies: [{ substance: 'NSAIDs', reaction: 'bronchospasm' }],
  },
];
