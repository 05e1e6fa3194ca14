import { z } from 'zod';
import { Jurisdiction, MatterType, lazySchema, type ToolSpec } from '../domain';
import { IsoDate } from './fields';

/**
 * Tools the agents may call. Each is data: a name, what it is for, and zod schemas for its arguments
 * (sent to the model as a strict function definition) and its result (what the tool activity returns).
 * The implementations are activities in `activities/tools/`.
 */

export const LookupClientArgs = lazySchema(() =>
  z.object({
    name: z.string().nullable().describe('Full name of the person or organisation.'),
    email: z.string().nullable(),
  }),
);
export const LookupClientResult = lazySchema(() =>
  z.object({
    matches: z.array(
      z.object({
        clientId: z.string(),
        name: z.string(),
        email: z.string().nullable(),
        kind: z.enum(['person', 'organization']),
        /** 1 = same normalised name or e-mail; lower = similar name. */
        score: z.number(),
      }),
    ),
  }),
);

export const CheckConflictsArgs = lazySchema(() =>
  z.object({
    prospectiveClient: z.string().nullable().describe('The person or organisation asking for help.'),
    opposingParties: z.array(z.string()).describe('Every party on the other side.'),
  }),
);
/**
 * Where a checked name came from: the sender (`From:` display name, e-mail local part or domain), the
 * message's signature block, the classifier's client or opposing parties, or a person or organisation the
 * recognizer found in the text with no role from the model.
 */
export const NameSource = lazySchema(() =>
  z.enum(['sender', 'signature', 'model:client', 'model:opposing', 'recognized']),
);
export type NameSource = z.infer<typeof NameSource>;

/** How a name matched a directory row: the same name, a nickname, initials, or a similar spelling (score). */
export const NameMatchKind = lazySchema(() => z.enum(['exact', 'nickname', 'initials', 'fuzzy']));
export type NameMatchKind = z.infer<typeof NameMatchKind>;

/**
 * Why a hit is a conflict: the prospective client is adverse in an open matter, or a name on the other side
 * (or, for a recognized name, anywhere in the intake) is a current or a former client of the firm.
 */
export const ConflictGround = lazySchema(() =>
  z.enum(['adverse_in_open_matter', 'current_client', 'former_client']),
);
export type ConflictGround = z.infer<typeof ConflictGround>;

export const ConflictHit = lazySchema(() =>
  z.object({
    party: z.string().describe('The name as given in the arguments.'),
    matchedName: z.string(),
    /**
     * adverse_party_is_client: an opposing party is (or was) the firm's client.
     * client_is_adverse_party: the prospective client is on the other side of an open matter.
     */
    relation: z.enum(['adverse_party_is_client', 'client_is_adverse_party']),
    matterId: z.string().nullable(),
    score: z.number(),
    /** Where the checked name came from (absent in hits from before every identity was checked). */
    source: NameSource.optional(),
    match: NameMatchKind.optional(),
    /** The directory row matched: a client (`CL-…`) or an adverse party of a matter. */
    row: z.object({ table: z.enum(['clients', 'adverse_parties']), id: z.string() }).optional(),
    ground: ConflictGround.optional(),
  }),
);
export const CheckConflictsResult = lazySchema(() =>
  z.object({
    status: z.enum(['clear', 'potential_conflict']),
    hits: z.array(ConflictHit),
    checkedParties: z.array(z.string()),
  }),
);

export const LimitationPeriodArgs = lazySchema(() =>
  z.object({
    jurisdiction: Jurisdiction.nullable(),
    matterType: MatterType,
    incidentDate: IsoDate.nullable().describe('YYYY-MM-DD: when the cause of action arose.'),
  }),
);
export const LimitationPeriodResult = lazySchema(() =>
  z.object({
    known: z.boolean().describe('false when the table has no rule for this jurisdiction and matter type.'),
    periodMonths: z.number().int().nullable(),
    deadline: IsoDate.nullable(),
    daysRemaining: z
      .number()
      .int()
      .nullable()
      .describe('Days from asOf to the deadline; negative when passed.'),
    basis: z.string(),
    asOf: IsoDate,
  }),
);

export const lookupClientTool: ToolSpec<LookupClientArgs, LookupClientResult> = {
  name: 'lookupClient',
  description: "Find the prospective client in the firm's client directory by name or e-mail.",
  args: LookupClientArgs,
  result: LookupClientResult,
};

export const checkConflictsTool: ToolSpec<CheckConflictsArgs, CheckConflictsResult> = {
  name: 'checkConflicts',
  description:
    'Check the prospective client and the opposing parties against existing clients, matters and adverse parties.',
  args: CheckConflictsArgs,
  result: CheckConflictsResult,
};

export const limitationPeriodTool: ToolSpec<LimitationPeriodArgs, LimitationPeriodResult> = {
  name: 'limitationPeriod',
  description: 'Limitation period and deadline for a matter type in a jurisdiction, from the incident date.',
  args: LimitationPeriodArgs,
  result: LimitationPeriodResult,
  // "Today" is the workflow's: the model never chooses the date a deadline is counted from.
  fromWorkflow: ['asOf'],
};

/** Legal intake's tools: the reasoner may call each; their executors are activities (activities/tools/). */
export const LEGAL_TOOLS = [lookupClientTool, checkConflictsTool, limitationPeriodTool] as const;

/**
 * Failure type of a tool call whose arguments the model got wrong: not retried, and read back to the model
 * by the agent loop instead of failing the workflow.
 */
export const INVALID_TOOL_ARGUMENTS = 'InvalidToolArguments';
export type LookupClientArgs = z.infer<typeof LookupClientArgs>;
export type LookupClientResult = z.infer<typeof LookupClientResult>;
export type CheckConflictsArgs = z.infer<typeof CheckConflictsArgs>;
export type CheckConflictsResult = z.infer<typeof CheckConflictsResult>;
export type LimitationPeriodArgs = z.infer<typeof LimitationPeriodArgs>;
export type LimitationPeriodResult = z.infer<typeof LimitationPeriodResult>;
