import { setTimeout as sleep } from 'node:timers/promises';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { batchRoutes } from './batch-routes';
import { answerChat, isRetired, type ChatReply } from './chat';
import { findModel, listModels } from './models';
import { openAiError } from './protocol';
import { send } from './send';
import type { SimulatorState } from './state';

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
    // A retired model answers nothing else: no fault is drawn for it.
    const fault = isRetired(state, req.body) ? null : state.faults.next();
    const left = new AbortController();
    res.on('close', () => left.abort());
    const signal = AbortSignal.any([closing, left.signal]);
    // The latency is the time a call takes to answer, as a provider's is: the answer is worked out first,
    // and the wait is what is left of the latency after that work.
    const arrived = performance.now();
    const reply = fault === 'timeout' ? null : answerChat(state, req.body, fault);
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
    if (reply) deliver(res, reply);
  });

  function deliver(res: Response, reply: ChatReply): void {
    if (reply.log) logger.debug(reply.log.fields, reply.log.message);
    if (res.headersSent || res.destroyed) return;
    res.status(reply.status).set(reply.headers).json(reply.body);
  }

  app.use('/v1', batchRoutes(state, logger));

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
