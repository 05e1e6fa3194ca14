import { Worker } from 'node:worker_threads';
import type { PseudonymizeTexts } from '../activities';
import type { Logger } from '../config';
import type { PseudonymizeRequest, PseudonymizeResponse } from './pseudonymizer-thread-entry';

export interface PseudonymizerThread {
  pseudonymizeTexts: PseudonymizeTexts;
  close(): Promise<void>;
}

/** Longer than any intake takes (tens of milliseconds); past it the thread is replaced and the call fails. */
const CALL_TIMEOUT_MS = 30_000;

/**
 * pseudonymizeTexts on a thread of its own. Its CPU (compromise's tagger most of all: tens of
 * milliseconds an intake) would otherwise block the worker's event loop, which every activity and every
 * workflow activation shares. The thread starts at once (loading the recognizer takes about a second) and
 * again after it died; calls wait in order. The thread loads the TypeScript sources through tsx, as every
 * Docket process does, whatever loaded the caller (Jest's transform, for instance).
 */
export function startPseudonymizerThread(logger: Logger): PseudonymizerThread {
  let thread: Worker | null = null;
  let nextId = 1;
  const pending = new Map<
    number,
    {
      resolve(r: Awaited<ReturnType<PseudonymizeTexts>>): void;
      reject(e: Error): void;
      timer: NodeJS.Timeout;
    }
  >();

  const failAll = (error: Error) => {
    for (const call of pending.values()) {
      clearTimeout(call.timer);
      call.reject(error);
    }
    pending.clear();
  };

  const start = (): Worker => {
    const worker = new Worker(
      `require(${JSON.stringify(require.resolve('tsx/cjs/api'))}).register();
       require(${JSON.stringify(require.resolve('./pseudonymizer-thread-entry.ts'))});`,
      { eval: true },
    );
    worker.unref();
    worker.on('message', (response: PseudonymizeResponse) => {
      const call = pending.get(response.id);
      if (!call) return;
      pending.delete(response.id);
      clearTimeout(call.timer);
      if ('error' in response) call.reject(new Error(`pseudonymization failed: ${response.error}`));
      else call.resolve(response.result);
    });
    worker.on('error', (err) => {
      logger.error({ err }, 'pseudonymizer thread failed');
    });
    worker.on('exit', (code) => {
      if (thread === worker) thread = null;
      failAll(new Error(`the pseudonymizer thread stopped (exit code ${code})`));
    });
    return worker;
  };
  thread = start();

  return {
    pseudonymizeTexts(texts, context) {
      const worker = (thread ??= start());
      const id = nextId++;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`pseudonymization took more than ${CALL_TIMEOUT_MS} ms: its thread is replaced`));
          if (thread === worker) thread = null;
          void worker.terminate();
        }, CALL_TIMEOUT_MS);
        pending.set(id, { resolve, reject, timer });
        const request: PseudonymizeRequest = { id, texts: [...texts], context };
        try {
          worker.postMessage(request);
        } catch (err) {
          // Not cloneable (a bug in the caller): this call fails, the thread goes on.
          pending.delete(id);
          clearTimeout(timer);
          reject(err instanceof Error ? err : new Error(String(err)));
        }
      });
    },
    async close() {
      const worker = thread;
      thread = null;
      if (worker) await worker.terminate();
    },
  };
}
