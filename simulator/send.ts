import type { Response } from 'express';
import type { OpenAiError } from './protocol';

/** Answers with an OpenAI-shaped error, unless the client is gone or has its answer already. */
export function send(res: Response, error: OpenAiError): void {
  if (res.headersSent || res.destroyed) return;
  res.status(error.status).json(error.body);
}
