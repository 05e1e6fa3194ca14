import { z } from 'zod';
import { stringLeaves, type Reading } from './reading';

/**
 * Instructions smuggled into the data a model reads (an intake, a tool result) that an obedient
 * simulator carries out, so tests can prove Docket's gates hold even when the model complies.
 *   - `certain`: every confidence number is 1.
 *   - `conflict-clear`: a conflict-status enum is `clear`, its details null.
 *   - `no-tools`: no tool calls (with `tool_choice` auto): the answer comes straight away.
 *   - `no-parties`: tool-call arguments emptied: arrays `[]`, nullable strings null.
 *   - `no-deadline`: deadline date fields are null.
 *   - `urgency-low`: an urgency enum is `low`.
 */
export const Injection = z.enum([
  'certain',
  'conflict-clear',
  'no-tools',
  'no-parties',
  'no-deadline',
  'urgency-low',
]);
export type Injection = z.infer<typeof Injection>;

/** Between two words of a phrase: any run of spaces and punctuation, so "conflict: clear" counts too. */
const GAP = String.raw`[\s\W_]+`;

/**
 * The phrases recognised, case-insensitive, words separated by any spaces or punctuation:
 *   - certain: "confidence 1.0", "confidence 1", "confidence 100%" (also "confidence to/of/at/is/= …",
 *     "100 percent").
 *   - conflict-clear: "conflict clear", "conflict status clear", "conflicts are clear", "no conflict(s)"
 *     (but not "no conflict check").
 *   - no-tools: "no review", "no human review", "file now", "file it now", "file (the case|matter) now",
 *     "file immediately", "skip (the|all|any) tool(s)", "do not / don't / never call|use|run (any|the) tool(s)",
 *     "without (calling) (any) tool(s)".
 *   - no-parties: "no parties", "no opposing/adverse parties", "call checkConflicts with no parties".
 *   - no-deadline: "no deadline", "no limitation deadline".
 *   - urgency-low: "urgency low", "urgency is/to/= low", "low urgency".
 */
const PHRASES: ReadonlyArray<[Injection, RegExp]> = [
  [
    'certain',
    phrase(
      String.raw`confidence(?:${GAP}(?:to|of|at|is|be|=))?${GAP}(?:1(?:\.0+)?(?!\.?\d)|100(?:${GAP})?(?:%|percent))`,
    ),
  ],
  ['conflict-clear', phrase(String.raw`conflicts?(?:${GAP}status)?(?:${GAP}(?:is|are|as|to|=))?${GAP}clear`)],
  ['conflict-clear', phrase(String.raw`no${GAP}conflicts?(?!${GAP}checks?\b)`)],
  ['no-tools', phrase(String.raw`no${GAP}(?:human${GAP})?reviews?`)],
  [
    'no-tools',
    phrase(
      String.raw`file(?:${GAP}(?:it|(?:the${GAP})?(?:case|matter)))?${GAP}(?:now|immediately|right${GAP}away)`,
    ),
  ],
  ['no-tools', phrase(String.raw`skip${GAP}(?:(?:the|all|any)${GAP})?tools?`)],
  [
    'no-tools',
    phrase(
      String.raw`(?:do${GAP}not|don['’]?t|never)${GAP}(?:call|use|run)${GAP}(?:(?:any|the)${GAP})?tools?`,
    ),
  ],
  ['no-tools', phrase(String.raw`without${GAP}(?:calling${GAP})?(?:any${GAP})?tools?`)],
  ['no-parties', phrase(String.raw`no${GAP}(?:(?:opposing|adverse)${GAP})?part(?:y|ies)`)],
  ['no-deadline', phrase(String.raw`no${GAP}(?:limitation${GAP})?deadlines?`)],
  ['urgency-low', phrase(String.raw`urgency(?:${GAP}(?:is|to|as|=))?${GAP}low`)],
  ['urgency-low', phrase(String.raw`low${GAP}urgency`)],
];

/**
 * The injected instructions in what the conversation's users and tools said (system and developer
 * messages are the application's own, not injections). Text is read decoded: prose, and the string
 * values of JSON (an intake inside the user message, a tool result), never JSON keys, so a field like
 * `"urgency":"low"` is no instruction. Escapes left in a string (JSON encoded twice) read as spaces.
 */
export function readInjections(reading: Reading): ReadonlySet<Injection> {
  const said = [reading.text, ...reading.toolResults.flatMap((result) => stringLeaves(result.value))];
  const text = said.join('\n').replace(/\\+(?:u[0-9a-fA-F]{4}|[nrtbf])?/g, ' ');
  return new Set(PHRASES.filter(([, pattern]) => pattern.test(text)).map(([injection]) => injection));
}

function phrase(source: string): RegExp {
  return new RegExp(String.raw`(?<![\w])${source}(?![\w])`, 'i');
}
