/** The memo check as the engine sees it: its names, body, stages, and the activities it brings. */
import { Context } from '@temporalio/activity';
import { pipelineDefinition } from '../../../workflows/pipeline/definition';
import { MemoRequest, memoPipeline } from './pipeline';

export const memoCheckDefinition = pipelineDefinition({
  workflowType: 'memoCheck',
  workflowModule: require.resolve('./workflow'),
  restName: 'memo-check',
  title: 'Memo check: a memo summarized, and read by a person when it asks for one',
  body: MemoRequest,
  bodyName: 'MemoRequest',
  pipeline: memoPipeline,
  thresholds: { check: 0 },
  activities: () => ({
    countWords: async ({ text }: { text: string }) => ({ words: text.split(/\s+/).filter(Boolean).length }),
    fileMemo: async ({ summary }: { summary: string }) => ({
      memoId: `MEMO-${Context.current().info.workflowExecution?.workflowId}`,
      summaryLength: summary.length,
    }),
  }),
});
