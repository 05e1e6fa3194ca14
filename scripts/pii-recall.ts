/**
 * Recall and precision of the pseudonymizer per category over the labeled intakes
 * (`npm run pii:recall`; `-- --details` also lists what it missed and what it replaced without a label).
 *
 * Two sets: test/fixtures/pii/*.jsonl, the labeled set the rules were developed on (the tests require
 * 100% recall on names, e-mails and phones there), and test/fixtures/pii/holdout/, intakes written after
 * the rules, which says more about intakes nobody has seen. The directory is the demo client directory
 * (db/seed-data.ts), as in `npm start`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { SEED_CLIENTS } from '../db';
import { formatMeasurement, LabeledIntake, measureRecall, type Measurement } from '../pseudonymize';

export const LABELED_SET_DIR = path.join(__dirname, '..', 'test', 'fixtures', 'pii');
export const HOLDOUT_DIR = path.join(LABELED_SET_DIR, 'holdout');

/** Every intake of the .jsonl files directly in `dir`. */
export function loadLabeledIntakes(dir: string): LabeledIntake[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.jsonl'))
    .sort()
    .flatMap((file) =>
      readFileSync(path.join(dir, file), 'utf8')
        .split('\n')
        .filter((line) => line.trim())
        .map((line, index) => {
          const parsed = LabeledIntake.safeParse(JSON.parse(line));
          if (!parsed.success) throw new Error(`${file}:${index + 1}: ${parsed.error.message}`);
          return parsed.data;
        }),
    );
}

/** The measurement of one set, with the demo client directory. */
export function measureSet(dir: string): Measurement {
  return measureRecall(loadLabeledIntakes(dir), {
    directoryNames: SEED_CLIENTS.map((client) => ({ name: client.name, kind: client.kind })),
  });
}

/** The table and a summary line, as `npm run pii:recall` prints them. */
export function describeMeasurement(title: string, measurement: Measurement, details = false): string {
  const { identities } = measurement;
  const lines = [
    `${title}: ${measurement.intakes} intakes, ${measurement.total.labeled} identifiers`,
    '',
    formatMeasurement(measurement),
    '',
    `${measurement.misses.length} missed, ${measurement.falsePositives.length} replaced without a label, ` +
      `${measurement.overreach.length} replaced beyond the identifier, ${measurement.damaged.length} phrases ` +
      `to keep damaged; ${identities.consistent} of ${identities.groups} names written several ways kept one token`,
  ];
  if (details) {
    for (const miss of measurement.misses) lines.push(`missed   ${miss.id}  ${miss.category}  ${miss.value}`);
    for (const fp of measurement.falsePositives) lines.push(`extra    ${fp.id}  ${fp.category}  ${fp.text}`);
    for (const over of measurement.overreach)
      lines.push(`beyond   ${over.id}  ${over.category}  ${over.text}`);
    for (const damaged of measurement.damaged) lines.push(`damaged  ${damaged.id}  ${damaged.text}`);
    for (const split of identities.split) lines.push(`split    ${split.id}  ${split.forms.join(' / ')}`);
  }
  return lines.join('\n');
}

if (require.main === module) {
  const details = process.argv.includes('--details');
  console.log(describeMeasurement('Labeled set (test/fixtures/pii)', measureSet(LABELED_SET_DIR), details));
  console.log('');
  console.log(describeMeasurement('Held out (test/fixtures/pii/holdout)', measureSet(HOLDOUT_DIR), details));
}
