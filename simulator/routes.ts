import { setTimeout as sleep } from 'node:timers/promises';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { simulateCompletion } from './completion';
import { faultResponse, type FaultInjector, type FaultKind } from './faults';
import { findModel, listModels, modelNotFound, unsupportedParameter } from './models';
import type { PromptCache } from './prompt-cache';
import { ChatRequest, invalidRequest, openAiError, type OpenAiError } from './protocol';
import { requestHash } from './request-hash';

/** What the running server changes as it goes: the test-facing knobs and counters. */
export interface SimulatorState {
  faults: FaultInjector;
  latencyMs: number;
  requests: number;
  /** Answers carry out instructions injected into the conversation (`obeyInjections`). */
  obeyInjections: boolean;
  /** Chat request bodies as received, kept only when a test asked (`recordRequests`). */
  received: unknown[] | null;
  /**
   * A model that repeats what it should not: this text is appended to the first text field of every
   * structured answer (`leak`). Null: answers as usual.
   */
  leakText: string | null;
  /** Models that answer 404 `model_not_found`, as OpenAI answers for a retired model (`retiredModels`). */
  retiredModels: ReadonlySet<string>;
  /** The Authorization and api-key header values received, kept only when a test asked (`recordRequests`). */
  receivedAuth: string[] | null;
  /** Prompt prefixes seen, for `cached_tokens` as OpenAI reports them; null: caching off (`promptCache`). */
  promptCache: PromptCache | null;
}

/** A 'timeout' fault holds the request at most this long, then drops the connection. */
const MAX_HOLD_MS = 10 * 60_000;

/**
 * The OpenAI-compatible routes. `closing` aborts every pending wait (latency, held timeouts) when the
 * server shuts down. Request and message contents are never logged, nor is the Authorization header.
 */
export function createApp(state: SimulatorState, logger: Logger, closing: AbortSignal): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  // `/openai/deployments/…` is Azure OpenAI's path: the AzureOpenAI client sends its key as `api-key`.
  app.use(['/v1', '/openai'], (req, res, next) => {
    for (const header of ['authorization', 'api-key']) {
      const value = req.get(header);
      if (value !== undefined) state.receivedAuth?.push(value);
    }
    const bearer = /^Bearer\s+\S+/i.test(req.get('authorization') ?? '');
    if (bearer || req.get('api-key')) return next();
    send(
      res,
      openAiError(
        401,
        'invalid_request_error',
        "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
      ),
    );
  });
  app.use(express.json({ limit: '10mb' }));

  app.get('/v1/models', (_req, res) => {
    res.json({ object: 'list', data: listModels(state.retiredModels) });
  });
  app.get('/v1/models/:model', (req, res) => {
    const model = findModel(req.params.model, state.retiredModels);
    if (model) res.json(model);
    else
      send(
        res,
        openAiError(
          404,
          'invalid_request_error',
          `The model '${req.params.model}' does not exist`,
          'model',
          'model_not_found',
        ),
      );
  });

  app.post(['/v1/chat/completions', '/openai/deployments/:deployment/chat/completions'], async (req, res) => {
    state.requests += 1;
    state.received?.push(req.body);
    if (req.params.deployment !== undefined && !req.query['api-version']) {
      return send(res, openAiError(404, 'invalid_request_error', 'Resource not found'));
    }
    const requested: unknown = (req.body as { model?: unknown } | undefined)?.model;
    // A retired model answers nothing else: no fault is drawn for it.
    const retired = typeof requested === 'string' && state.retiredModels.has(requested);
    const fault = retired ? null : state.faults.next();
    const left = new AbortController();
    res.on('close', () => left.abort());
    const signal = AbortSignal.any([closing, left.signal]);
    // The latency is the time a call takes to answer, as a provider's is: the answer is worked out first,
    // and the wait is what is left of the latency after that work.
    const arrived = performance.now();
    const reply = fault === 'timeout' ? null : answer(req, res, requested, fault, retired);
    try {
      const wait = state.latencyMs - (performance.now() - arrived);
      if (wait > 0) await sleep(wait, undefined, { signal, ref: false });
      if (fault === 'timeout') {
        logger.debug({ fault }, 'simulator holding a request without answering');
        await sleep(MAX_HOLD_MS, undefined, { signal, ref: false });
        req.socket.destroy();
        return;
      }
    } catch (err) {
      if (signal.aborted) return; // the client gave up or the server is closing: nobody to answer
      throw err;
    }
    reply?.();
  });

  /** Works out the answer to a chat request, and returns what sends it. */
  function answer(
    req: Request,
    res: Response,
    requested: unknown,
    fault: FaultKind | null,
    retired: boolean,
  ): () => void {
    if (retired) {
      return () => {
        logger.debug({ model: requested }, 'simulator answered 404 for a retired model');
        send(res, modelNotFound(requested as string));
      };
    }

    const failure = fault ? faultResponse(fault, state.faults.retryAfterMs()) : null;
    if (failure) {
      return () => {
        logger.debug(
          { model: typeof requested === 'string' ? requested : null, fault, status: failure.status },
          'simulator served a fault',
        );
        send(res.set(failure.headers), failure);
      };
    }
    if (req.body === undefined) {
      const error = openAiError(
        400,
        'invalid_request_error',
        'We could not parse the JSON body of your request. Send JSON with Content-Type: application/json.',
      );
      return () => send(res, error);
    }
    const parsed = ChatRequest.safeParse(req.body, { reportInput: true });
    if (!parsed.success) {
      const error = invalidRequest(parsed.error);
      return () => send(res, error);
    }
    const rejected = unsupportedParameter(parsed.data);
    if (rejected) return () => send(res, rejected);

    const hash = requestHash(req.body);
    const completion = simulateCompletion(parsed.data, hash, {
      malformed: fault === 'malformed',
      stop: fault === 'truncated' ? 'length' : fault === 'content_filter' ? 'content_filter' : undefined,
      obeyInjections: state.obeyInjections,
    });
    if ('status' in completion) return () => send(res, completion);
    const cached = state.promptCache?.serve(parsed.data) ?? 0;
    if (completion.usage?.prompt_tokens_details)
      completion.usage.prompt_tokens_details.cached_tokens = cached;
    const choice = completion.choices[0];
    if (state.leakText && choice?.message.content) {
      choice.message.content = withLeak(choice.message.content, state.leakText);
    }
    return () => {
      logger.debug(
        {
          model: parsed.data.model,
          tools: (parsed.data.tools ?? []).map((tool) => tool.function.name),
          responseFormat: parsed.data.response_format?.type ?? 'text',
          fault,
          obeyInjections: state.obeyInjections,
          finishReason: choice?.finish_reason,
          toolCalls: choice?.message.tool_calls?.length ?? 0,
          promptTokens: completion.usage?.prompt_tokens,
          cachedTokens: cached,
          completionTokens: completion.usage?.completion_tokens,
        },
        'simulator chat completion',
      );
      res.set('x-request-id', `req_sim_${hash.slice(0, 24)}`).json(completion);
    };
  }

  app.use((req, res) => {
    send(res, openAiError(404, 'invalid_request_error', `Invalid URL (${req.method} ${req.path})`));
  });

  app.use(
    (err: Error & { type?: string; status?: number }, _req: Request, res: Response, _next: NextFunction) => {
      if (err.type === 'entity.parse.failed') {
        return send(
          res,
          openAiError(400, 'invalid_request_error', 'We could not parse the JSON body of your request.'),
        );
      }
      if (err.type === 'entity.too.large') {
        return send(res, openAiError(413, 'invalid_request_error', 'The request body is too large.'));
      }
      logger.error({ err: { name: err.name, message: err.message } }, 'simulator failed on a request');
      send(res, openAiError(500, 'server_error', 'The simulator failed while processing your request.'));
    },
  );

  return app;
}

function send(res: Response, error: OpenAiError): void {
  if (res.headersSent || res.destroyed) return;
  res.status(error.status).json(error.body);
}

/**
 * A JSON answer with `text` appended to its `rationale` (free text every Docket agent writes), or else to
 * its first string field (depth-first); other content as it is.
 */
function withLeak(content: string, text: string): string {
  let answer: unknown;
  try {
    answer = JSON.parse(content);
  } catch {
    return `${content} ${text}`;
  }
  if (
    answer &&
    typeof answer === 'object' &&
    typeof (answer as { rationale?: unknown }).rationale === 'string'
  ) {
    const withRationale = answer as { rationale: string };
    return JSON.stringify({ ...withRationale, rationale: `${withRationale.rationale} ${text}` });
  }
  let done = false;
  const visit = (node: unknown): unknown => {
    if (done) return node;
    if (typeof node === 'string' && node.length > 0) {
      done = true;
      return `${node} ${text}`;
    }
    if (Array.isArray(node)) return node.map(visit);
    if (node && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, visit(value)]));
    }
    return node;
  };
  return JSON.stringify(visit(answer));
}
