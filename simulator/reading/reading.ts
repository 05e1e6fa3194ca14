import { contentText, type ChatMessage } from '../protocol';

/** A tool's answer as the conversation carries it back to the model. */
export interface ToolResult {
  /** The function the assistant called, when its tool call is in the conversation. */
  name: string | null;
  /** Parsed JSON, or the raw text when the content is not JSON. */
  value: unknown;
}

/** What the simulator read in a conversation. Instructions (system, developer) are not part of it. */
export interface Reading {
  /**
   * The users' prose: plain text as sent and, for JSON payloads (an intake, an earlier stage's output),
   * their string values one per paragraph. Bare dates and timestamps (receivedAt, today) are left out:
   * they are metadata, not facts of the matter.
   */
  text: string;
  /** JSON objects found in user messages. */
  documents: Record<string, unknown>[];
  toolResults: ToolResult[];
  userMessages: number;
}

const BARE_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const MAX_JSON_ATTEMPTS = 200;

export function readConversation(messages: readonly ChatMessage[]): Reading {
  const paragraphs: string[] = [];
  const documents: Record<string, unknown>[] = [];
  const toolResults: ToolResult[] = [];
  const toolNames = new Map<string, string>();
  let userMessages = 0;
  for (const message of messages) {
    if (message.role === 'user') {
      userMessages += 1;
      const { prose, found } = splitJson(contentText(message.content));
      if (prose.trim()) paragraphs.push(prose.trim());
      for (const document of found) {
        documents.push(document);
        paragraphs.push(...stringLeaves(document).filter((s) => !BARE_DATE.test(s.trim())));
      }
    } else if (message.role === 'assistant') {
      for (const call of message.tool_calls ?? []) toolNames.set(call.id, call.function.name);
    } else if (message.role === 'tool') {
      const raw = contentText(message.content);
      toolResults.push({ name: toolNames.get(message.tool_call_id) ?? null, value: parseJsonOr(raw) });
    }
  }
  return { text: paragraphs.join('\n\n'), documents, toolResults, userMessages };
}

/** Cuts JSON objects out of a message; what is left is prose. */
function splitJson(content: string): { prose: string; found: Record<string, unknown>[] } {
  const found: Record<string, unknown>[] = [];
  let prose = '';
  let cursor = 0;
  let attempts = 0;
  for (
    let i = content.indexOf('{');
    i >= 0 && attempts < MAX_JSON_ATTEMPTS;
    i = content.indexOf('{', i + 1)
  ) {
    attempts += 1;
    const end = closingBrace(content, i);
    if (end < 0) break;
    const parsed = parseJsonOr(content.slice(i, end + 1));
    if (!isRecord(parsed)) continue;
    found.push(parsed);
    prose += `${content.slice(cursor, i)}\n`;
    cursor = end + 1;
    i = end;
  }
  return { prose: prose + content.slice(cursor), found };
}

/** Index of the brace closing the one at `start` (strings and escapes respected), or -1. */
function closingBrace(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '{') depth++;
    else if (ch === '}' && --depth === 0) return i;
  }
  return -1;
}

function parseJsonOr(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Every string value in a JSON value, depth first. */
export function stringLeaves(node: unknown): string[] {
  if (typeof node === 'string') return [node];
  if (Array.isArray(node)) return node.flatMap(stringLeaves);
  if (isRecord(node)) return Object.values(node).flatMap(stringLeaves);
  return [];
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The shallowest value stored under `key` anywhere in `roots` (breadth first). */
export function findKey(roots: readonly unknown[], key: string): unknown {
  let level: unknown[] = [...roots];
  for (let depth = 0; depth < 8 && level.length > 0; depth++) {
    const next: unknown[] = [];
    for (const node of level) {
      if (isRecord(node)) {
        if (Object.prototype.hasOwnProperty.call(node, key)) return node[key];
        next.push(...Object.values(node));
      } else if (Array.isArray(node)) {
        next.push(...node);
      }
    }
    level = next;
  }
  return undefined;
}
