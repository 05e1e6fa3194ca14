/**
 * A throwaway workflow type, declared from a test folder with the engine's blocks only: one agent
 * (`checker`), one tool (`countWords`), one stage with its check (`check`), and a completing activity.
 * Workflow-side: the bundle in this folder runs it.
 */
import { z } from 'zod';
import { lazySchema, type AgentDefinition, type ToolSpec } from '../../../domain';
import type { Pipeline } from '../../../workflows/pipeline/pipeline';

export const MemoRequest = lazySchema(() =>
  z
    .object({
      externalId: z
        .string()
        .regex(/^[A-Za-z0-9._:-]+$/)
        .max(128),
      memo: z.object({ author: z.string().min(1).max(200), text: z.string().min(1).max(20_000) }).strict(),
    })
    .strict(),
);
export type MemoRequest = z.infer<typeof MemoRequest>;

export const countWordsTool: ToolSpec<{ text: string }, { words: number }> = {
  name: 'countWords',
  description: 'Count the words of a text.',
  args: lazySchema(() => z.object({ text: z.string() })),
  result: lazySchema(() => z.object({ words: z.number().int() })),
};

export const MemoCheck = lazySchema(() =>
  z.object({
    summary: z.string().describe('One sentence on what the memo asks.'),
    audience: z.enum(['staff', 'clients', 'board']),
    confidence: z.number().min(0).max(1),
    rationale: z.string(),
  }),
);
export type MemoCheck = z.infer<typeof MemoCheck>;

export const checker: AgentDefinition<MemoCheck> = {
  name: 'checker',
  tier: 'fast',
  instructions: 'Summarize the memo in one sentence and say who it is for. Count its words first.',
  outputName: 'memo_check',
  outputSchema: MemoCheck,
  tools: [countWordsTool],
  requiredTools: [],
};

/** A memo marked for review goes to a person, whatever the model said: the check reads the input. */
export const REVIEW_MARK = '[review]';

/** A memo longer than this goes to a person: the workflow counts its words itself, before the agent runs. */
export const WORD_LIMIT = 60;

export const memoPipeline: Pipeline<MemoRequest> = {
  // Its own reasons, beside the engine's: the review queue, the metrics and the OpenAPI document carry them.
  reasonCodes: ['marked_for_review', 'too_long'],
  stages: [
    {
      stage: 'check',
      agent: checker,
      // The tool's own activity, run by the workflow: the count the gate rests on is not the model's to make.
      checksBefore: [
        { check: 'length', activity: 'countWords', input: ({ input }) => ({ text: input.memo.text }) },
      ],
      message: ({ input }) => `Memo from ${input.memo.author}:\n${input.memo.text}`,
      check: (_output, { input, checks }) => {
        const { words } = checks.length as { words: number };
        return [
          ...(input.memo.text.includes(REVIEW_MARK)
            ? [{ code: 'marked_for_review', message: 'the memo asks for a person to read it' }]
            : []),
          ...(words > WORD_LIMIT
            ? [{ code: 'too_long', message: `${words} words, over ${WORD_LIMIT}`, evidence: { words } }]
            : []),
        ];
      },
    },
  ],
  complete: {
    activity: 'fileMemo',
    input: ({ outputs }) => ({ summary: (outputs.check as MemoCheck).summary }),
  },
};
