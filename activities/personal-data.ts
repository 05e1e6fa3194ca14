import { ApplicationFailure, Context } from '@temporalio/activity';
import { z } from 'zod';
import type { CheckConflictsResult, ModelTurn } from '../agents';
import { textTokens } from '../agents/gateway';
import type { DocketConfig } from '../config';
import type { Queryable } from '../db';
import { LEGAL_INTAKE_REST_NAME, type IntakeRequest, type WorkflowRegistry } from '../domain';
import {
  PersonalDataStore,
  mapStrings,
  pseudonymizeValue,
  pseudonymizeValueWith,
  type JsonSchemaLike,
} from '../personal-data';
import {
  findLeaks,
  pseudonymizeTexts,
  reidentify,
  tokenizeName,
  tokenizeValue,
  type DirectoryEntry,
  type PiiCategory,
  type PseudonymMapping,
  type PseudonymizeContext,
} from '../pseudonymize';
import type { ToolActivities } from './tools';
import { workflowRun } from './workflow-run';

/** pseudonymizeTexts, wherever it runs: in this thread by default, or on a thread of its own (worker/). */
export type PseudonymizeTexts = (
  texts: readonly string[],
  context: PseudonymizeContext,
) => Promise<ReturnType<typeof pseudonymizeTexts>>;

export interface PersonalDataDeps {
  /** The registered types: whose pseudonymization settings (`pseudonymization.workflows.<restName>`) apply. */
  workflows: WorkflowRegistry;
  db: Queryable;
  store: PersonalDataStore;
  config: Pick<DocketConfig, 'pseudonymization'>;
  /** Default: in this thread. */
  pseudonymize?: PseudonymizeTexts;
}

/** What a legal intake works on: the intake with its identifiers replaced by tokens. */
export interface PseudonymizedIntake {
  intake: IntakeRequest;
  /** How many distinct identifiers of each category were replaced (counts only: log- and history-safe). */
  identifiers: Partial<Record<PiiCategory, number>>;
  /** The pseudonymized body's length in tokens (o200k): what a cascade's `documentTokensOver` rule reads. */
  documentTokens: number;
}

/**
 * `pseudonymizeIntake`: reads the raw intake the API stored for the calling workflow, replaces its
 * identifiers with tokens (names from the sender, signature, the firm's directory and the recognizer),
 * stores the mapping sealed, and returns the pseudonymized intake: the only form of it Temporal sees.
 * Deterministic for one intake and directory, so a retry returns the same tokens.
 */
export function createPersonalDataActivities({
  workflows,
  db,
  store,
  config,
  pseudonymize = async (texts, context) => pseudonymizeTexts(texts, context),
}: PersonalDataDeps) {
  const settings = config.pseudonymization;
  /** Pseudonymization as a type's settings say (`pseudonymization.workflows.<restName>`). */
  const contextFor = (restName: string): PseudonymizeContext => ({
    categories: settings.workflows[restName]?.categories,
    extraPatterns: settings.workflows[restName]?.extraPatterns,
    defaultCountry: settings.defaultCountry as PseudonymizeContext['defaultCountry'],
  });
  const notStored = (workflowId: string, what: string) =>
    ApplicationFailure.nonRetryable(
      `no stored ${what} for ${workflowId}: it was never stored, or it was erased`,
      'IntakeNotFound',
    );
  const bodySchemas = new Map<string, JsonSchemaLike>();
  return {
    /**
     * `pseudonymizeInput`: any type's stored body with every free-text string pseudonymized (strings its
     * schema pins down, an enum, a pattern, a date, stay), under the type's settings. The mapping is kept
     * sealed beside it, like an intake's; a retry returns the same tokens.
     */
    /** `documentTokens`: the pseudonymized input's length in tokens, as JSON (a cascade's `documentTokensOver`). */
    async pseudonymizeInput(): Promise<{ input: unknown; documentTokens: number }> {
      const { workflowId } = workflowRun();
      const definition = workflows.byWorkflowType(Context.current().info.workflowType ?? '');
      if (!definition) {
        throw ApplicationFailure.nonRetryable(
          `${workflowId}: no registered workflow type`,
          'UnknownWorkflowType',
        );
      }
      const [raw, read] = await Promise.all([
        store.loadBody(workflowId, definition.body),
        store.readMapping(workflowId),
      ]);
      if (!raw) throw notStored(workflowId, 'input');
      let schema = bodySchemas.get(definition.workflowType);
      if (!schema) {
        schema = z.toJSONSchema(definition.body, { io: 'input' }) as JsonSchemaLike;
        bodySchemas.set(definition.workflowType, schema);
      }
      const context = contextFor(definition.restName);
      return store.updateMapping(
        workflowId,
        async (mapping) => {
          const { value, mapping: next } = await pseudonymizeValueWith(
            raw,
            { ...context, mapping },
            schema,
            pseudonymize,
          );
          return {
            mapping: next,
            result: { input: value, documentTokens: textTokens(JSON.stringify(value)) },
          };
        },
        read,
      );
    },

    async pseudonymizeIntake(): Promise<PseudonymizedIntake> {
      const { workflowId } = workflowRun();
      // Three independent reads, asked for together: one wait instead of four.
      const [raw, directory, read] = await Promise.all([
        store.loadIntake(workflowId),
        directoryNames(db),
        store.readMapping(workflowId),
      ]);
      if (!raw) throw notStored(workflowId, 'intake');
      const context: PseudonymizeContext = {
        ...contextFor(LEGAL_INTAKE_REST_NAME),
        directoryNames: directory,
      };
      return store.updateMapping(
        workflowId,
        async (mapping) => {
          const fields = intakeTexts(raw);
          const { texts, mapping: next } = await pseudonymize(
            fields.map((f) => f.text),
            { ...context, mapping },
          );
          const intake: IntakeRequest = structuredClone(raw);
          fields.forEach((field, i) => field.set(intake, texts[i]));
          return {
            mapping: next,
            result: { intake, identifiers: countByCategory(next), documentTokens: textTokens(intake.body) },
          };
        },
        read,
      );
    },
  };
}

/** The intake's free-text fields (metadata strings included) and where each goes back. */
function intakeTexts(
  intake: IntakeRequest,
): Array<{ text: string; set(target: IntakeRequest, text: string): void }> {
  const fields: Array<{ text: string; set(target: IntakeRequest, text: string): void }> = [];
  if (intake.from !== undefined) fields.push({ text: intake.from, set: (t, text) => (t.from = text) });
  if (intake.subject !== undefined)
    fields.push({ text: intake.subject, set: (t, text) => (t.subject = text) });
  fields.push({ text: intake.body, set: (t, text) => (t.body = text) });
  for (const [key, value] of Object.entries(intake.metadata ?? {})) {
    if (typeof value === 'string') fields.push({ text: value, set: (t, text) => (t.metadata![key] = text) });
  }
  return fields;
}

function countByCategory(mapping: PseudonymMapping): Partial<Record<PiiCategory, number>> {
  const counts: Partial<Record<PiiCategory, number>> = {};
  for (const token of Object.keys(mapping.tokens)) {
    const category = /^\[([A-Z]+)_/.exec(token)?.[1] as PiiCategory | undefined;
    if (category) counts[category] = (counts[category] ?? 0) + 1;
  }
  return counts;
}

/** Every name the firm's directory knows: clients (with their kind) and adverse parties of matters. */
async function directoryNames(db: Queryable): Promise<DirectoryEntry[]> {
  const [clients, adverse] = await Promise.all([
    db.query<{ name: string; kind: 'person' | 'organization' }>(
      'SELECT name, kind FROM clients ORDER BY client_id',
    ),
    db.query<{ name: string }>('SELECT name FROM adverse_parties ORDER BY id'),
  ]);
  return [
    ...clients.rows.map((row) => ({ name: row.name, kind: row.kind })),
    ...adverse.rows.map((r) => r.name),
  ];
}

/**
 * The reasoner's tools over tokens: arguments are re-identified inside the activity, the directory is
 * searched with real names, and what goes back to the model (and into history) names people and
 * organisations by token only. A directory row the intake did not mention gets a token of its own.
 */
export function pseudonymousTools(
  tools: Pick<ToolActivities, 'lookupClient' | 'checkConflicts'>,
  store: PersonalDataStore,
): Pick<ToolActivities, 'lookupClient' | 'checkConflicts'> {
  return {
    lookupClient: overTokens(tools.lookupClient, store, (result, tokens) => ({
      matches: result.matches.map((match) => ({
        ...match,
        name: tokens.of(match.kind === 'person' ? 'PERSON' : 'ORG', match.name),
        email: match.email === null ? null : tokens.of('EMAIL', match.email),
      })),
    })),
    checkConflicts: overTokens(tools.checkConflicts, store, (result, tokens): CheckConflictsResult => ({
      status: result.status,
      hits: result.hits.map((hit) => ({
        ...hit,
        party: tokens.name(hit.party),
        matchedName: tokens.name(hit.matchedName),
      })),
      checkedParties: result.checkedParties.map((party) => tokens.name(party)),
    })),
  };
}

/**
 * A tool over tokens: its arguments re-identified with the calling workflow's mapping, its result's
 * identities turned into tokens (new ones stored in the mapping, over the row as it was read).
 */
function overTokens<Args, Result>(
  tool: (args: Args) => Promise<Result>,
  store: PersonalDataStore,
  tokenize: (result: Result, tokens: Tokens) => Result,
): (args: Args) => Promise<Result> {
  return async (args) => {
    const { workflowId } = workflowRun();
    const read = await store.readMapping(workflowId);
    const result = await tool(mapStrings(args, (text) => reidentify(text, read.mapping)));
    return store.updateMapping(
      workflowId,
      (current) => {
        const tokens = new Tokens(current);
        const tokenized = tokenize(result, tokens);
        return { mapping: tokens.mapping, result: tokenized };
      },
      read,
    );
  };
}

/** Tokens for values a result names, added to the mapping as it goes (`mapping` is the mapping to store). */
export class Tokens {
  constructor(public mapping: PseudonymMapping) {}
  of(category: PiiCategory, value: string): string {
    const { token, mapping } = tokenizeValue(this.mapping, category, value);
    this.mapping = mapping;
    return token;
  }
  name(value: string): string {
    const { token, mapping } = tokenizeName(this.mapping, value);
    this.mapping = mapping;
    return token;
  }
}

/**
 * The `pii_leak` check after every model call: when the model wrote a known identifier in clear, the
 * turn leaves the activity with that value replaced by its token (so it never reaches history) and the
 * leaked tokens named, for the gate to send the output to a person.
 */
export async function screenModelTurn<T>(
  turn: ModelTurn<T>,
  store: PersonalDataStore,
): Promise<ModelTurn<T>> {
  const { workflowId } = workflowRun();
  const read = await store.readMapping(workflowId);
  const content =
    turn.kind === 'output'
      ? turn.output
      : turn.kind === 'refusal'
        ? turn.refusal
        : turn.kind === 'invalid'
          ? turn.content
          : turn.toolCalls;
  const leaks = findLeaks(JSON.stringify(content), read.mapping);
  if (leaks.length === 0) return turn;
  const screened = await store.updateMapping(
    workflowId,
    (current) => {
      const { value, mapping: next } = pseudonymizeValue(content, { mapping: current });
      return { mapping: next, result: value };
    },
    read,
  );
  const piiLeaks = leaks;
  if (turn.kind === 'output') return { ...turn, output: screened as T, piiLeaks };
  if (turn.kind === 'refusal') return { ...turn, refusal: screened as string, piiLeaks };
  if (turn.kind === 'invalid') return { ...turn, content: screened as string, piiLeaks };
  return { ...turn, toolCalls: screened as typeof turn.toolCalls, piiLeaks };
}
