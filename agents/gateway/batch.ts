/**
 * The batch lane's side of the gateway: a turn sent to the provider's Batch API (a batch of one request, as the
 * live call would send it), and its answer once the batch is done, checked and priced as a live answer is, at
 * the provider's batch price.
 */
import type OpenAI from 'openai';
import { toFile } from 'openai';
import { parseChatCompletion } from 'openai/lib/parser';
import type { ChatCompletion, ParsedChatCompletion } from 'openai/resources/chat/completions';
import { ZodError } from 'zod';
import type { DocketConfig, Logger } from '../../config';
import type { RungCall } from '../../domain';
import type { ConversationMessage, ModelTurn } from '../conversation';
import type { AgentDefinition } from '../types';
import { parseIssues, responseSchema, toTurn, usageOf } from './answer';
import { ModelContextWindowError, ModelRequestRejectedError, toModelError } from './errors';
import { tokensNeeded } from './fit';
import { chatRequest } from './request';
import { refuseOverBudget, type TurnBudget } from './pricing';
import { fittedConversation, modelsFor } from './serving';

/** A turn sent to the provider's Batch API: the batch, and the model it was sent to. */
export interface SubmittedBatch {
  batchId: string;
  model: string;
  provider: string;
}

/** Where a batched turn stands: still waiting, answered, or lost (expired, failed, refused: call it live). */
export type BatchPoll<Output = unknown> =
  | { state: 'waiting'; status: string }
  | { state: 'done'; turn: ModelTurn<Output> }
  | { state: 'lost'; reason: string };

/** A batched call's options: the activity's cancellation, the cascade's rung. */
export interface BatchCallOptions {
  signal?: AbortSignal;
  rung?: RungCall;
  /** What the run may still spend: a turn whose batch price would cross it is not sent. */
  budget?: TurnBudget;
}

/** The gateway's batch methods, over the same clients as its live calls. */
export function createBatchLane({
  config,
  providerClients,
  logger,
}: {
  config: Pick<DocketConfig, 'providers' | 'models'>;
  providerClients: ReadonlyMap<string, OpenAI>;
  logger: Logger;
}) {
  return {
    async submitBatch(
      agent: AgentDefinition,
      messages: ConversationMessage[],
      options: BatchCallOptions = {},
    ): Promise<SubmittedBatch> {
      const { entry, request, client, factor } = batchTurn(agent, messages, options.rung);
      if (options.budget) {
        const prompt = tokensNeeded(entry, request) - entry.maxOutputTokens;
        refuseOverBudget(entry, prompt, options.budget, agent.outputName, factor);
      }
      const line = JSON.stringify({
        custom_id: 'turn',
        method: 'POST',
        url: '/v1/chat/completions',
        body: request,
      });
      try {
        const file = await client.files.create(
          { file: await toFile(Buffer.from(`${line}\n`), 'turn.jsonl'), purpose: 'batch' },
          { signal: options.signal },
        );
        const batch = await client.batches.create(
          { input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' },
          { signal: options.signal },
        );
        logger.info({ agent: agent.name, model: entry.model, batchId: batch.id }, 'model call batched');
        return { batchId: batch.id, model: entry.model, provider: entry.provider };
      } catch (err) {
        throw toModelError(err, agent.outputName);
      }
    },

    async pollBatch<Output>(
      agent: AgentDefinition,
      messages: ConversationMessage[],
      submitted: SubmittedBatch,
      options: BatchCallOptions = {},
    ): Promise<BatchPoll<Output>> {
      const client = providerClients.get(submitted.provider);
      if (!client) return { state: 'lost', reason: `provider '${submitted.provider}' has no client` };
      let raw: ChatCompletion;
      try {
        const batch = await client.batches.retrieve(submitted.batchId, { signal: options.signal });
        if (['validating', 'in_progress', 'finalizing'].includes(batch.status)) {
          return { state: 'waiting', status: batch.status };
        }
        if (batch.status !== 'completed') return { state: 'lost', reason: `the batch is ${batch.status}` };
        const fileId = batch.output_file_id ?? batch.error_file_id;
        if (!fileId) return { state: 'lost', reason: 'the completed batch has no output' };
        const [answer] = (await (await client.files.content(fileId, { signal: options.signal })).text())
          .split('\n')
          .filter((text) => text.trim() !== '')
          .map((text) => JSON.parse(text) as BatchOutputLine);
        const status = answer?.response?.status_code;
        if (status !== 200) {
          const code = answer?.response?.body?.error?.code ?? answer?.error?.code ?? 'no answer';
          return { state: 'lost', reason: `the batched request answered ${status ?? 'nothing'} (${code})` };
        }
        raw = answer.response!.body as ChatCompletion;
      } catch (err) {
        throw toModelError(err, agent.outputName);
      }
      // Built only once the answer is here: a poll that finds the batch waiting asks the provider, nothing more.
      const { entry, request, factor, trimmed } = batchTurn(agent, messages, options.rung);
      if (entry.model !== submitted.model) {
        return {
          state: 'lost',
          reason: `the batch was sent to ${submitted.model}, no longer the first model able`,
        };
      }
      const usage = (completion: ParsedChatCompletion<unknown>) => {
        const live = usageOf(
          { agent, tier: options.rung?.tier ?? agent.tier, rung: options.rung },
          entry,
          completion,
          [],
          trimmed,
        );
        return { ...live, costUsd: Math.round(live.costUsd * factor * 1e10) / 1e10, lane: 'batch' as const };
      };
      let completion: ParsedChatCompletion<Output>;
      try {
        completion = parseChatCompletion(raw, request) as ParsedChatCompletion<Output>;
      } catch (err) {
        const spent = usage(raw as ParsedChatCompletion<Output>);
        if (err instanceof SyntaxError || err instanceof ZodError) {
          const content = raw.choices[0]?.message.content ?? '';
          return {
            state: 'done',
            turn: { kind: 'invalid', content, issues: parseIssues(err), usage: spent },
          };
        }
        // Cut off by the output limit or the content filter: billed all the same.
        const error = toModelError(err, agent.outputName);
        error.usage = spent;
        throw error;
      }
      return {
        state: 'done',
        turn: toTurn<Output>(completion, usage(completion), agent.outputName, responseSchema(request)),
      };
    },
  };

  /**
   * The one request a batched turn sends, built as a live turn's would be for the first model that can hold it
   * (the document trimmed when none can), with that model's client and its provider's batch price.
   */
  function batchTurn(agent: AgentDefinition, messages: ConversationMessage[], rung: RungCall | undefined) {
    const candidates = modelsFor(config, agent, rung);
    const { messages: sent, trimmed } = fittedConversation(config, candidates, agent, messages);
    for (const entry of candidates) {
      const provider = config.providers[entry.provider];
      const client = providerClients.get(entry.provider);
      if (!provider || !client) continue;
      const request = chatRequest(entry, provider, agent, sent);
      if (tokensNeeded(entry, request) > entry.contextWindow) continue;
      const factor = provider.kind === 'openai' ? provider.batchPriceFactor : null;
      if (factor === null) {
        throw new ModelRequestRejectedError(
          `provider '${entry.provider}' of ${entry.model} has no batch lane`,
        );
      }
      return { entry, request, client, factor, trimmed };
    }
    throw new ModelContextWindowError(`no model can hold the ${agent.outputName} request`);
  }
}

/** One line of a batch's output (or error) file, as the Batch API writes it. */
interface BatchOutputLine {
  custom_id: string;
  response: { status_code: number; body?: ChatCompletion & { error?: { code?: string } } } | null;
  error: { code?: string; message?: string } | null;
}
