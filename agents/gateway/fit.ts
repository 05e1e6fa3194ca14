import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import type { ModelEntry } from '../../config';
import { tokenPattern } from '../../pseudonymize';
import type { ConversationMessage, ModelUsage } from '../conversation';
import { INTAKE_DOCUMENT_FIELDS } from '../untrusted';
import { promptTokens } from './tokens';
import { MIN_TRIM_BUDGET, trimDocument } from './trim';

/** The agent's request to one of the tier's models; null when the model cannot be asked (no provider). */
export type RequestTo = (
  entry: ModelEntry,
  messages: readonly ConversationMessage[],
) => ChatCompletionCreateParamsNonStreaming | null;

export type DocumentTrim = NonNullable<ModelUsage['trimmed']>;

/** Tokens kept free beyond the count: joining the document back into its JSON can merge a token or two. */
const JOIN_SLACK = 4;

/** The window a request needs on a model: its prompt and room for the answer (`maxOutputTokens`). */
export function tokensNeeded(entry: ModelEntry, request: ChatCompletionCreateParamsNonStreaming): number {
  return promptTokens(request) + entry.maxOutputTokens;
}

function fits(entry: ModelEntry, request: ChatCompletionCreateParamsNonStreaming): boolean {
  return tokensNeeded(entry, request) <= entry.contextWindow;
}

/**
 * The conversation as it can be sent. When some model of the tier can hold it, unchanged. When none can,
 * the intake document in the first user message (its `intake` or `body` field, INTAKE_DOCUMENT_FIELDS)
 * is trimmed (`trimDocument`) to fit the candidate with the most room for it: trimming throws facts away,
 * so it throws away as few as the tier allows, whatever the order the models are tried in. Unchanged too
 * when there is no document to trim or even an empty one would not fit (the instructions, the schema and
 * the tool results alone are too big): the gateway then fails with ModelContextWindowError, as before.
 */
export function fitToContext(
  entries: readonly ModelEntry[],
  messages: ConversationMessage[],
  requestTo: RequestTo,
): { messages: ConversationMessage[]; trimmed?: DocumentTrim } {
  const candidates = entries.flatMap((entry) => {
    const request = requestTo(entry, messages);
    return request ? [{ entry, request }] : [];
  });
  if (candidates.length === 0 || candidates.some(({ entry, request }) => fits(entry, request))) {
    return { messages };
  }
  const found = findDocument(messages);
  if (!found) return { messages };

  const withDocument = (text: string): ConversationMessage[] =>
    messages.map((message, i) =>
      i === found.index
        ? { role: 'user', content: JSON.stringify({ ...found.fields, [found.key]: text }) }
        : message,
    );
  const empty = withDocument('');
  const rooms = candidates.map(
    ({ entry }) =>
      entry.contextWindow - entry.maxOutputTokens - promptTokens(requestTo(entry, empty)!) - JOIN_SLACK,
  );
  const most = rooms.indexOf(Math.max(...rooms));
  const best = candidates[most].entry;

  const mentionsParty = partyMentions(found.fields);
  let budget = rooms[most];
  while (budget >= MIN_TRIM_BUDGET) {
    const trimmed = trimDocument(found.text, budget, mentionsParty);
    if (!trimmed) return { messages };
    const sent = withDocument(trimmed.text);
    const over = tokensNeeded(best, requestTo(best, sent)!) - best.contextWindow;
    if (over <= 0) {
      const { documentTokens, keptTokens, cutParagraphs } = trimmed;
      return { messages: sent, trimmed: { documentTokens, keptTokens, cutParagraphs } };
    }
    budget -= over + JOIN_SLACK;
  }
  return { messages };
}

/** The first user message that is a JSON object carrying the document as a string, and where. */
function findDocument(
  messages: readonly ConversationMessage[],
): { index: number; fields: Record<string, unknown>; key: string; text: string } | null {
  const index = messages.findIndex((message) => message.role === 'user');
  if (index < 0) return null;
  let fields: unknown;
  try {
    fields = JSON.parse(messages[index].content as string);
  } catch {
    return null; // not an agent's JSON input: nothing Docket knows how to trim
  }
  if (!fields || typeof fields !== 'object' || Array.isArray(fields)) return null;
  const record = fields as Record<string, unknown>;
  const key = INTAKE_DOCUMENT_FIELDS.find((field) => typeof record[field] === 'string');
  return key ? { index, fields: record, key, text: record[key] as string } : null;
}

/**
 * Whether a piece of the document mentions a party: it holds a pseudonym token (`[PERSON_1]`, `[ORG_2]`,
 * `[EMAIL_1]`…: each stands for a party or a party's identifier), or a name the message's classification
 * gives for the client or an opposing party (in clear only where pseudonymization left names in clear).
 */
function partyMentions(fields: Record<string, unknown>): (text: string) => boolean {
  const names = namedParties(fields.classification).map((name) => name.toLowerCase());
  return (text) => {
    if (tokenPattern().test(text)) return true;
    const lower = text.toLowerCase();
    return names.some((name) => containsWord(lower, name));
  };
}

function namedParties(classification: unknown): string[] {
  if (!classification || typeof classification !== 'object') return [];
  const { client, opposingParties } = classification as { client?: unknown; opposingParties?: unknown };
  const named: unknown[] = Array.isArray(opposingParties) ? [...opposingParties] : [];
  if (client && typeof client === 'object') {
    const { name, organization } = client as { name?: unknown; organization?: unknown };
    named.push(name, organization);
  }
  return named.filter((value): value is string => typeof value === 'string' && value.trim().length >= 2);
}

/** `word` in `text` with no letter or digit right before or after it ("Lee" is not in "employee"). */
function containsWord(text: string, word: string): boolean {
  const isWordChar = (char: string | undefined) => char !== undefined && /[\p{L}\p{N}]/u.test(char);
  for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + 1)) {
    if (!isWordChar(text[at - 1]) && !isWordChar(text[at + word.length])) return true;
  }
  return false;
}
