/**
 * The Files and Batch endpoints a chat-completions batch needs: upload its input, create, retrieve and
 * cancel it, read its output and error files. Logs carry ids, counts and statuses, never contents.
 */
import express, { type Request } from 'express';
import type { Logger } from 'pino';
import { cancel, createBatch, findBatch, findFile, settle, storeUpload } from './batches';
import { isOpenAiError, openAiError, type OpenAiError } from './protocol';
import { send } from './send';
import type { SimulatorState, StoredBatch } from './state';

/** OpenAI's limit on a batch input file. */
const MAX_UPLOAD = '200mb';

/** Mounted under /v1, behind the API key check. */
export function batchRoutes(state: SimulatorState, logger: Logger): express.Router {
  const router = express.Router();

  router.post('/files', express.raw({ type: 'multipart/form-data', limit: MAX_UPLOAD }), async (req, res) => {
    const upload = await readUpload(req);
    const stored = isOpenAiError(upload) ? upload : storeUpload(state, upload);
    if (isOpenAiError(stored)) return send(res, stored);
    logger.debug(
      { fileId: stored.file.id, bytes: stored.file.bytes, requests: stored.requests },
      'simulator stored a batch input file',
    );
    res.json(stored.file);
  });

  router.get('/files/:id/content', (req, res) => {
    const file = findFile(state, req.params.id);
    if (isOpenAiError(file)) return send(res, file);
    res.set('content-type', 'application/jsonl').send(file.content);
  });

  router.post('/batches', (req, res) => {
    const stored = createBatch(state, req.body);
    if (isOpenAiError(stored)) return send(res, stored);
    logger.debug(
      {
        batchId: stored.batch.id,
        inputFileId: stored.batch.input_file_id,
        requests: stored.batch.request_counts.total,
        fate: stored.fate,
        dueInMs: stored.dueAt - Date.now(),
      },
      'simulator created a batch',
    );
    res.json(stored.batch);
  });

  router.get('/batches/:id', (req, res) => {
    const stored = findBatch(state, req.params.id);
    if (isOpenAiError(stored)) return send(res, stored);
    if (settle(state, stored)) logSettled(stored);
    res.json(stored.batch);
  });

  router.post('/batches/:id/cancel', (req, res) => {
    const stored = findBatch(state, req.params.id);
    if (isOpenAiError(stored)) return send(res, stored);
    const cancelled = cancel(state, stored);
    if (isOpenAiError(cancelled)) return send(res, cancelled);
    logger.debug({ batchId: stored.batch.id, status: stored.batch.status }, 'simulator cancelled a batch');
    res.json(cancelled);
  });

  function logSettled({ batch }: StoredBatch): void {
    logger.debug(
      { batchId: batch.id, status: batch.status, ...batch.request_counts },
      'simulator batch ended',
    );
  }

  return router;
}

/** The uploaded file from a multipart/form-data body, checked to be a batch input; or the 400 saying why not. */
async function readUpload(req: Request): Promise<{ filename: string; content: Buffer } | OpenAiError> {
  if (!Buffer.isBuffer(req.body)) {
    return openAiError(
      400,
      'invalid_request_error',
      "Send the file as multipart/form-data, with the fields 'purpose' and 'file'.",
    );
  }
  let form: FormData;
  try {
    // Node's own multipart parser (the fetch API's), rather than a dependency for one route.
    form = await new Response(req.body, {
      headers: { 'content-type': req.get('content-type') ?? '' },
    }).formData();
  } catch (err) {
    return openAiError(
      400,
      'invalid_request_error',
      `The multipart/form-data body could not be read: ${(err as Error).message}`,
    );
  }
  const purpose = form.get('purpose');
  const file = form.get('file');
  if (file === null || typeof file === 'string') return missing('file');
  if (purpose === null) return missing('purpose');
  if (purpose !== 'batch') {
    return openAiError(
      400,
      'invalid_request_error',
      `Invalid value for 'purpose': the simulator takes only 'batch' files, not ${JSON.stringify(purpose)}.`,
      'purpose',
      'invalid_value',
    );
  }
  return { filename: file.name, content: Buffer.from(await file.arrayBuffer()) };
}

function missing(param: string): OpenAiError {
  return openAiError(
    400,
    'invalid_request_error',
    `Missing required parameter: '${param}'.`,
    param,
    'missing_required_parameter',
  );
}
