import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Logger } from '../config';
import type { Caller } from './auth';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    /** What the API's middleware attaches to each response, typed once. */
    interface Locals {
      requestId: string;
      /** Child logger bound to the request id. */
      log: Logger;
      /** Set by `authenticate`: the key's name and role, never the key. */
      caller?: Caller;
      /** Set by handlers that act on a workflow, so the request log line names it. */
      workflowId?: string;
    }
  }
}

/** A client's own request id is kept when it looks like one; otherwise a fresh UUID. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Gives each request an id (echoed in `x-request-id`) and logs one line when the exchange ends. */
export function requestContext(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    const incoming = req.get('x-request-id');
    const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.locals.requestId = requestId;
    res.locals.log = logger.child({ requestId });
    res.setHeader('x-request-id', requestId);
    res.on('close', () => {
      const { caller, workflowId } = res.locals;
      res.locals.log.info(
        {
          method: req.method,
          path: req.originalUrl.split('?')[0],
          status: res.statusCode,
          ms: Number((process.hrtime.bigint() - started) / 1000n) / 1000,
          caller: caller?.name,
          role: caller?.role,
          workflowId,
          ...(res.writableFinished ? {} : { aborted: true }),
        },
        'request',
      );
    });
    next();
  };
}
