import type { Sealer } from '../codec';
import type { Database } from '../db';
import type { ConversationMessage } from '../agents';

/** Names one agent's conversation in one workflow run. */
export interface TranscriptKey {
  workflowId: string;
  runId: string;
  transcriptId: string;
}

/** The stored transcript is shorter than the workflow says: erased, or written by another database. */
export class TranscriptMissingError extends Error {
  override readonly name = 'TranscriptMissingError';
}

/**
 * The earlier messages of agents' conversations, sealed in Docket's database, so that a model call's
 * activity input (and so Temporal history) carries only the messages that are new since the last call.
 * Messages are written at their position: writing the same ones again (a retried call) changes nothing.
 */
export class TranscriptStore {
  constructor(
    private readonly db: Database,
    private readonly sealer: Sealer,
  ) {}

  /** The first `count` messages; throws TranscriptMissingError when fewer are stored. */
  async load(key: TranscriptKey, count: number): Promise<ConversationMessage[]> {
    if (count === 0) return [];
    const { rows } = await this.db.query<{ seq: number; sealed: string }>(
      `SELECT seq, sealed FROM transcripts
        WHERE workflow_id = $1 AND run_id = $2 AND transcript_id = $3 AND seq < $4 ORDER BY seq`,
      [key.workflowId, key.runId, key.transcriptId, count],
    );
    if (rows.length !== count) {
      throw new TranscriptMissingError(
        `transcript ${key.transcriptId} of ${key.workflowId} holds ${rows.length} of the ${count} messages the workflow sent`,
      );
    }
    return rows.map((row) => this.sealer.openJson<ConversationMessage>(row.sealed, context(key, row.seq)));
  }

  /** Stores `messages` at positions `from`, `from + 1`, …, in place of whatever a retried call wrote there. */
  async save(key: TranscriptKey, from: number, messages: readonly ConversationMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const values: unknown[] = [key.workflowId, key.runId, key.transcriptId];
    const rows = messages.map((message, i) => {
      const seq = from + i;
      values.push(seq, this.sealer.sealJson(message, context(key, seq)));
      return `($1, $2, $3, $${values.length - 1}, $${values.length})`;
    });
    await this.db.query(
      `INSERT INTO transcripts (workflow_id, run_id, transcript_id, seq, sealed) VALUES ${rows.join(', ')}
       ON CONFLICT (workflow_id, run_id, transcript_id, seq) DO UPDATE SET sealed = EXCLUDED.sealed`,
      values,
    );
  }
}

const context = (key: TranscriptKey, seq: number) =>
  `transcript:${key.workflowId}:${key.runId}:${key.transcriptId}:${seq}`;
