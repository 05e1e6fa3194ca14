/**
 * The pseudonymizer's thread (started by worker/pseudonymizer-thread.ts): one request at a time, each
 * answered with its result or its error's message.
 */
import { parentPort } from 'node:worker_threads';
import { pseudonymizeTexts, type PseudonymizeContext } from '../pseudonymize';

export interface PseudonymizeRequest {
  id: number;
  texts: string[];
  context: PseudonymizeContext;
}

export type PseudonymizeResponse =
  { id: number; result: ReturnType<typeof pseudonymizeTexts> } | { id: number; error: string };

parentPort?.on('message', ({ id, texts, context }: PseudonymizeRequest) => {
  let response: PseudonymizeResponse;
  try {
    response = { id, result: pseudonymizeTexts(texts, context) };
  } catch (err) {
    response = { id, error: err instanceof Error ? err.message : String(err) };
  }
  parentPort!.postMessage(response);
});
