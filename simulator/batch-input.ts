/**
 * A Batch API input file, checked as it is uploaded: JSON Lines, one request a line, each with a
 * `custom_id` unique in the file, `method` POST, the `url` of the one endpoint the simulator batches, and a
 * `body`. What the body asks for is checked when the batch runs, line by line, as a live request is.
 */
import { z } from 'zod';
import { openAiError, type OpenAiError } from './protocol';

/** The one endpoint the simulator runs batches for. */
export const BATCH_ENDPOINT = '/v1/chat/completions';

const Line = z.looseObject({
  custom_id: z.string().min(1),
  method: z.literal('POST'),
  url: z.string(),
  body: z.record(z.string(), z.unknown()),
});

export interface BatchRequestLine {
  customId: string;
  body: Record<string, unknown>;
}

/** The file's requests in order, or the 400 OpenAI answers for the first line that is not one. */
export function readBatchInput(content: Buffer): BatchRequestLine[] | OpenAiError {
  const requests: BatchRequestLine[] = [];
  const seen = new Map<string, number>();
  const lines = content.toString('utf8').split('\n');
  for (const [index, raw] of lines.entries()) {
    const number = index + 1;
    if (raw.trim() === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return refused(`Line ${number} is not valid JSON.`, 'invalid_json_line');
    }
    const parsed = Line.safeParse(json, { reportInput: true });
    if (!parsed.success) return lineProblem(number, parsed.error);
    const { custom_id: customId, url, body } = parsed.data;
    if (url !== BATCH_ENDPOINT) {
      return refused(
        `Line ${number} asks for ${JSON.stringify(url)}; the simulator batches only ${BATCH_ENDPOINT}.`,
        'invalid_url',
      );
    }
    const first = seen.get(customId);
    if (first !== undefined) {
      return refused(
        `Line ${number} repeats the custom_id ${JSON.stringify(customId)} of line ${first}; each must be unique.`,
        'duplicate_custom_id',
      );
    }
    seen.set(customId, number);
    requests.push({ customId, body });
  }
  if (requests.length === 0) return refused('The file holds no requests.', 'empty_file');
  return requests;
}

function lineProblem(number: number, error: z.ZodError): OpenAiError {
  const issue = error.issues[0];
  const key = issue?.path[0];
  if (key === undefined) return refused(`Line ${number} is not a JSON object.`, 'invalid_json_line');
  // JSON holds no undefined: a value that is undefined is a key that is missing.
  if (issue?.input === undefined) {
    return refused(`Line ${number} has no '${String(key)}'.`, 'missing_required_parameter');
  }
  return refused(`Line ${number}: invalid '${String(key)}': ${issue?.message}.`, 'invalid_value');
}

function refused(message: string, code: string): OpenAiError {
  return openAiError(400, 'invalid_request_error', message, 'file', code);
}
