import { appendAuditWithin } from '../audit';
import type { Sealer } from '../codec';
import type { Database, Queryable } from '../db';
import type { z } from 'zod';
import { IntakeRequest } from '../domain';
import { PseudonymMapping, emptyMapping } from '../pseudonymize';

/** What an erasure removed (each true when there was something to remove). */
export interface ErasureResult {
  workflowId: string;
  intake: boolean;
  mapping: boolean;
  caseFields: boolean;
  /** The agents' stored conversations with their models (pseudonymized text). */
  transcripts: boolean;
  /** The audit row's seq: the erasure is itself on the chain. */
  auditSeq: number;
}

/** A mapping as read, with the stored (sealed) text it came from; null when the workflow has no row. */
export interface StoredMapping {
  mapping: PseudonymMapping;
  sealed: string | null;
}

/**
 * Writes one mapping update tries before it gives up. Each failed write means another writer's change
 * landed, so the row moves on however many write at once; a caller (an activity) retries past this.
 */
const MAX_MAPPING_WRITES = 50;

/** What a change of a pseudonym mapping makes: the new mapping, and the caller's result. */
export interface MappingChange<T> {
  mapping: PseudonymMapping;
  result: T;
}

/**
 * Where clear-text identities live: the raw intake and the pseudonym mapping of each workflow, sealed
 * with the application key set, and the sealed personal fields of filed cases. Nothing else in Docket
 * stores a value that a token stands for.
 */
/** What starts a run, as its REST body came in: every workflow type's has an externalId. */
export type StoredBody = { externalId: string };

export class PersonalDataStore {
  constructor(
    private readonly db: Database,
    private readonly sealer: Sealer,
  ) {}

  /**
   * Stores the raw intake (any workflow type's REST body) before its workflow starts; a second store for the
   * same workflow keeps the first. Returns false when there was one already (a repeat submission).
   */
  async saveIntake(workflowId: string, intake: StoredBody): Promise<boolean> {
    const inserted = await this.db.query(
      `INSERT INTO intakes (workflow_id, external_id, sealed) VALUES ($1, $2, $3)
       ON CONFLICT (workflow_id) DO NOTHING`,
      [workflowId, intake.externalId, this.sealer.sealJson(intake, intakeContext(workflowId))],
    );
    return inserted.rowCount === 1;
  }

  /** Stores the intake of a new run that follows a failed one, in place of the earlier intake. */
  async replaceIntake(workflowId: string, intake: StoredBody): Promise<void> {
    await this.db.query(
      `INSERT INTO intakes (workflow_id, external_id, sealed) VALUES ($1, $2, $3)
       ON CONFLICT (workflow_id) DO UPDATE SET sealed = EXCLUDED.sealed, stored_at = now()`,
      [workflowId, intake.externalId, this.sealer.sealJson(intake, intakeContext(workflowId))],
    );
  }

  /** The raw intake; null when none was stored or it was erased. */
  async loadIntake(workflowId: string): Promise<IntakeRequest | null> {
    return this.loadBody(workflowId, IntakeRequest);
  }

  /** The body a run of any type was started with, read by its type's schema; null when none is stored. */
  async loadBody<T>(workflowId: string, schema: z.ZodType<T>): Promise<T | null> {
    const { rows } = await this.db.query<{ sealed: string }>(
      'SELECT sealed FROM intakes WHERE workflow_id = $1',
      [workflowId],
    );
    if (!rows[0]) return null;
    return schema.parse(this.sealer.openJson(rows[0].sealed, intakeContext(workflowId)));
  }

  /** The workflow's mapping; empty when it has none (yet, or any more). */
  async loadMapping(workflowId: string): Promise<PseudonymMapping> {
    return (await this.readMapping(workflowId)).mapping;
  }

  /** The workflow's mapping with the stored text it was read from, for `updateMapping` to write over. */
  async readMapping(workflowId: string): Promise<StoredMapping> {
    const { rows } = await this.db.query<{ sealed: string }>(
      'SELECT sealed FROM pseudonym_mappings WHERE workflow_id = $1',
      [workflowId],
    );
    const sealed = rows[0]?.sealed ?? null;
    const mapping = sealed
      ? PseudonymMapping.parse(this.sealer.openJson(sealed, mappingContext(workflowId)))
      : emptyMapping();
    return { mapping, sealed };
  }

  /**
   * Extends the workflow's mapping so that activities handing out tokens at the same time (parallel tool
   * calls, on any worker) never give one value two tokens or one token two values. `change` gets the
   * current mapping and returns the new one with its own result; it must be pure, since it may run again.
   * Optimistic, and one statement when nobody else wrote: `change` runs on the mapping as read (the
   * recognizer included, holding nothing), and the new mapping is written only over the very text that
   * was read (every sealing has a fresh IV, so a row someone else rewrote never matches). When the row
   * changed meanwhile, `change` runs again on what it is now. Nothing is written when it added nothing.
   */
  async updateMapping<T>(
    workflowId: string,
    change: (mapping: PseudonymMapping) => MappingChange<T> | Promise<MappingChange<T>>,
    /** The mapping as the caller already read it, to save reading it again. */
    read?: StoredMapping,
  ): Promise<T> {
    let current = read ?? (await this.readMapping(workflowId));
    for (let attempt = 1; ; attempt += 1) {
      const { mapping, result } = await change(current.mapping);
      if (JSON.stringify(mapping) === JSON.stringify(current.mapping)) return result;
      const sealed = this.sealer.sealJson(mapping, mappingContext(workflowId));
      const written =
        current.sealed === null
          ? await this.db.query(
              `INSERT INTO pseudonym_mappings (workflow_id, sealed) VALUES ($1, $2)
               ON CONFLICT (workflow_id) DO NOTHING`,
              [workflowId, sealed],
            )
          : await this.db.query(
              `UPDATE pseudonym_mappings SET sealed = $2, updated_at = now()
                WHERE workflow_id = $1 AND sealed = $3`,
              [workflowId, sealed, current.sealed],
            );
      if (written.rowCount === 1) return result;
      if (attempt >= MAX_MAPPING_WRITES) {
        throw new Error(
          `the pseudonym mapping of ${workflowId} changed under ${attempt} writes in a row; try again`,
        );
      }
      current = await this.readMapping(workflowId);
    }
  }

  /** Seals a case's personal fields for the `cases.personal` column. */
  sealCaseFields(workflowId: string, fields: Record<string, unknown>): string {
    return this.sealer.sealJson(fields, caseContext(workflowId));
  }

  /** A case's personal fields; null when erased (or filed before they were sealed). */
  async loadCaseFields(workflowId: string): Promise<Record<string, unknown> | null> {
    const { rows } = await this.db.query<{ personal: string | null }>(
      'SELECT personal FROM cases WHERE workflow_id = $1',
      [workflowId],
    );
    const sealed = rows[0]?.personal;
    return sealed ? this.sealer.openJson(sealed, caseContext(workflowId)) : null;
  }

  /**
   * The right to erasure: deletes the raw intake and the mapping and clears the case's personal fields,
   * in one transaction with the `erasure` row of the audit chain. History and audit rows keep their
   * tokens, which no longer lead to anyone. Erasing twice removes nothing the second time.
   */
  async erase(workflowId: string, by: string): Promise<ErasureResult> {
    return this.db.transaction(async (tx) => {
      await tx.query('SET TRANSACTION ISOLATION LEVEL READ COMMITTED');
      const intake = await tx.query('DELETE FROM intakes WHERE workflow_id = $1', [workflowId]);
      const mapping = await tx.query('DELETE FROM pseudonym_mappings WHERE workflow_id = $1', [workflowId]);
      const transcripts = await tx.query('DELETE FROM transcripts WHERE workflow_id = $1', [workflowId]);
      const caseFields = await tx.query(
        `UPDATE cases SET personal = NULL, client_name = NULL, summary = NULL, payload = '{}'::jsonb,
                          erased_at = now()
          WHERE workflow_id = $1 AND erased_at IS NULL`,
        [workflowId],
      );
      const result = {
        intake: intake.rowCount === 1,
        mapping: mapping.rowCount === 1,
        caseFields: caseFields.rowCount === 1,
        transcripts: (transcripts.rowCount ?? 0) > 0,
      };
      const anything = result.intake || result.mapping || result.caseFields || result.transcripts;
      // One erasure row per erasure that removed something: the chain says when, by whom and what.
      const { row } = await appendAuditWithin(tx, {
        workflowId,
        actionId: anything ? `erasure-${await erasureCount(tx, workflowId)}` : 'erasure-nothing',
        kind: 'erasure',
        data: { by, ...result },
      });
      return { workflowId, ...result, auditSeq: row.seq };
    });
  }
}

async function erasureCount(tx: Queryable, workflowId: string): Promise<number> {
  const { rows } = await tx.query<{ n: string }>(
    "SELECT count(*) AS n FROM audit_log WHERE workflow_id = $1 AND kind = 'erasure'",
    [workflowId],
  );
  return Number(rows[0].n) + 1;
}

const intakeContext = (workflowId: string) => `intake:${workflowId}`;
const mappingContext = (workflowId: string) => `mapping:${workflowId}`;
const caseContext = (workflowId: string) => `case:${workflowId}`;
