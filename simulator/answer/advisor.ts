/**
 * Docket's domain knowledge for the schema filler: which value a field should get, by its name,
 * from the conversation. Rules are tried in order; the first with an opinion wins:
 *   1. confidence numbers, 2. prose and derived lists, 3. tool results, 4. identity, parties, dates,
 *   routing, 5. the same key in the input's JSON, 6. keyword scoring for any enum.
 * Every value is still checked against the schema by the filler.
 */
import { chooseValue } from '../reading/keyword-score';
import { QUEUE_FOR_MATTER } from '../reading/keywords';
import { incidentDate, type Facts } from '../reading/facts';
import { findKey, type Reading } from '../reading/reading';
import { fieldConfidences, overallConfidence, placeConfidence, choiceConfidence } from './confidence';
import { humanize, type Field, type FieldAdvisor } from './fill';
import { conforms, isCalendarDate } from './json-schema';
import * as prose from './prose';
import {
  describeEvidence,
  enumValueFromTools,
  readToolEvidence,
  valuesFromTools,
  type ToolEvidence,
} from './tool-evidence';

type Rule = (field: Field & { key: string }) => unknown;

/** Fields that summarise the others: filled last so they can say what was decided. */
const SUMMARISING = /confidence|rationale|reasoning|explanation|summary|acknowledg/i;

export class DocketAdvisor implements FieldAdvisor {
  private readonly evidence: ToolEvidence;
  private readonly notes: string[] = [];
  private readonly rules: Rule[];

  constructor(
    private readonly reading: Reading,
    private readonly facts: Facts,
    private readonly rootKeys: readonly string[],
  ) {
    this.evidence = readToolEvidence(reading.toolResults);
    this.rules = [this.confidence, this.prose, this.fromTools, this.domain, this.echo, this.enumChoice];
  }

  fillsLast(key: string): boolean {
    return SUMMARISING.test(key);
  }

  suggest(field: Field): unknown {
    if (field.key === null) return undefined;
    for (const rule of this.rules) {
      const value = rule.call(this, field as Field & { key: string });
      if (value !== undefined) return value;
    }
    return undefined;
  }

  private note(text: string): void {
    if (!this.notes.includes(text)) this.notes.push(text);
  }

  private confidence({ key, parentKey, types }: Field & { key: string }): number | undefined {
    if (!types.has('number') && !types.has('integer')) return undefined;
    const perField = parentKey !== null && /confidence/i.test(parentKey);
    if (!perField && !/confidence|certainty/i.test(key)) return undefined;
    const fields = fieldConfidences(this.facts);
    if (perField && key in fields) return fields[key];
    const overall = overallConfidence(this.reading, this.facts, this.evidence, this.rootKeys);
    this.note(overall.basis);
    return overall.value;
  }

  private prose({ key, parentKey, types }: Field & { key: string }): unknown {
    const { facts, evidence } = this;
    if (types.has('string')) {
      if (/^rationale$|reasoning|explanation/i.test(key)) return prose.rationale(this.notes);
      if (/summary/i.test(key)) {
        this.note('summary restates the input');
        return prose.matterSummary(this.reading, facts);
      }
      if (parentKey !== null && /acknowledg|reply|letter|response/i.test(parentKey)) {
        if (/subject|title/i.test(key)) return prose.acknowledgementSubject(facts);
        if (/body|text|content|message/i.test(key)) {
          this.note('acknowledgement confirms receipt only');
          return prose.acknowledgementBody(facts);
        }
      }
      if (/conflict.*(detail|note|explan)/i.test(key)) return prose.conflictDetails(evidence);
    }
    if (types.has('array')) {
      if (/risk|concern|warning/i.test(key)) return prose.risks(evidence, facts);
      if (/missing|gap|outstanding/i.test(key)) return prose.missingInformation(facts);
    }
    return undefined;
  }

  private fromTools(field: Field & { key: string }): unknown {
    const results = this.reading.toolResults;
    if (results.length === 0) return undefined;
    if (field.enumValues) {
      const value = enumValueFromTools(field.enumValues, results);
      if (value !== undefined) {
        this.note(`${humanize(field.key)} ${value} as the tools reported`);
        return value;
      }
    }
    const found = valuesFromTools(field.key, results).find((value) =>
      conforms(value, field.schema, field.root),
    );
    if (found !== undefined) {
      for (const line of describeEvidence(this.evidence)) this.note(line);
      return found;
    }
    return undefined;
  }

  private domain(field: Field & { key: string }): unknown {
    const { key, parentKey, types, enumValues } = field;
    const { client, opposingParties } = this.facts;
    const text = types.has('string');
    const otherSide = parentKey !== null && /oppos|adverse|defendant|respondent|counterpart/i.test(parentKey);
    if (text && /^(full)?name$|^clientName$/i.test(key)) {
      if (otherSide) return opposingParties[0] ?? null;
      this.noteClient();
      return parentKey === null ? (client.name ?? client.organization) : client.name;
    }
    if (text && /^e-?mail(address)?$|Email$/i.test(key)) return client.email;
    if (text && /^(tele)?phone(number)?$|^mobile$|Phone$/i.test(key)) return client.phone;
    if (text && /^(organi[sz]ation|company|companyName)$/i.test(key)) return client.organization;
    if (text && /prospectiveClient|^client$|applicant|claimant/i.test(key)) {
      this.noteClient();
      return client.organization ?? client.name;
    }
    if (/oppos|adverse|counterpart|defendant|respondent/i.test(key)) {
      if (types.has('array')) return opposingParties;
      if (text) return opposingParties[0] ?? null;
    }
    if (types.has('array') && /keyDates|^dates$|importantDates/i.test(key)) return this.dateItems(field);
    if (text && isDateField(field)) return this.dateFor(key);
    if (enumValues && /queue|routing|route|team|department/i.test(key)) {
      const queue = QUEUE_FOR_MATTER[this.facts.matterType.value ?? 'other'];
      if (queue && enumValues.includes(queue)) {
        this.note(`queue ${queue} for matter type ${this.facts.matterType.value ?? 'other'}`);
        return queue;
      }
    }
    if (enumValues && /^priority$/i.test(key)) return this.priority(enumValues);
    if (/existingClientId|^clientId$/i.test(key)) return this.evidence.lookup?.strongMatch?.clientId ?? null;
    return undefined;
  }

  /** The same key in the input's JSON (the classification inside a later stage's input), when it fits. */
  private echo(field: Field & { key: string }): unknown {
    const given = findKey(this.reading.documents, field.key);
    if (given === undefined || !conforms(given, field.schema, field.root)) return undefined;
    if (field.enumValues) this.note(`${humanize(field.key)} ${String(given)} as classified`);
    return given;
  }

  private enumChoice(field: Field & { key: string }): unknown {
    if (!field.enumValues) return undefined;
    const choice = chooseValue(field.enumValues, this.reading.text, field.nullable);
    const name = humanize(field.key);
    if (choice.hits.length > 0) {
      const confidence = /jurisdiction|state|venue/i.test(field.key)
        ? placeConfidence(choice)
        : choiceConfidence(choice);
      this.note(`${name} ${choice.value} from ${quoteList(choice.hits)} (confidence ${confidence})`);
    } else {
      this.note(`${name} ${choice.value ?? 'unknown'}: nothing in the text points to a value`);
    }
    return choice.value;
  }

  private noteClient(): void {
    const { client, clientFrom } = this.facts;
    if (clientFrom === 'structured') return;
    const found = [
      client.name && 'name',
      client.email && 'e-mail',
      client.phone && 'phone',
      client.organization && 'organisation',
    ];
    const list = found.filter(Boolean).join(', ');
    this.note(list ? `client identified by ${list}` : 'client not identified');
  }

  /** keyDates items: each property mapped by name (date, kind, description); others left to the filler. */
  private dateItems(field: Field): unknown[] {
    const itemSchema = field.schema.items;
    const properties = Object.keys(itemSchema?.properties ?? {});
    const dates = this.facts.dates.filter((d) => isCalendarDate(d.date));
    this.note(dates.length > 0 ? `${dates.length} date(s) found` : 'no dates found');
    return dates.map((d) => {
      const item: Record<string, unknown> = {};
      for (const property of properties) {
        if (/date/i.test(property)) item[property] = d.date;
        else if (/kind|type|category/i.test(property)) item[property] = d.kind;
        else if (/desc|note|summary|detail/i.test(property))
          item[property] = d.description || `${d.kind} date`;
      }
      return item;
    });
  }

  /** A date field: the date of the kind its name says (incidentDate, hearingDate…), else none. */
  private dateFor(key: string): string | null {
    const kind = /incident|accident|injury|loss|event|termination|dismiss/i.test(key)
      ? 'incident'
      : (['hearing', 'contract', 'deadline'].find((k) => key.toLowerCase().includes(k)) ?? null);
    if (kind === 'incident') return incidentDate(this.facts);
    return this.facts.dates.find((d) => d.kind === kind)?.date ?? null;
  }

  /** p1 = act today: from urgency, brought forward when the limitation deadline is near. */
  private priority(values: readonly string[]): string | undefined {
    const urgency = this.facts.urgency.value ?? 'normal';
    let level = { critical: 1, high: 2, normal: 3, low: 4 }[urgency] ?? 3;
    const days = this.evidence.limitation?.daysRemaining ?? null;
    if (days !== null) level = Math.min(level, days <= 30 ? 1 : days <= 90 ? 2 : level);
    const value = `p${level}`;
    if (!values.includes(value)) return undefined;
    this.note(
      `priority ${value} from urgency ${urgency}${days !== null ? ` and ${days} days to the deadline` : ''}`,
    );
    return value;
  }
}

function isDateField(field: Field): boolean {
  const { schema, key } = field;
  const branches = [schema, ...(schema.anyOf ?? [])];
  return (
    /date$/i.test(key ?? '') ||
    branches.some(
      (b) =>
        b.format === 'date' ||
        b.pattern === '^\\d{4}-\\d{2}-\\d{2}$' ||
        /YYYY-MM-DD/.test(b.description ?? ''),
    )
  );
}

function quoteList(words: readonly string[]): string {
  return words
    .slice(0, 6)
    .map((w) => `'${w}'`)
    .join(', ');
}
