import type { PGlite } from '@electric-sql/pglite';
import type { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/**
 * pglite-socket (0.2) runs every connection's protocol messages on PGlite's one session, one message at
 * a time, and holds the other connections back only while one has a transaction block open. That leaves
 * two holes, both reached as soon as transactions run beside other queries (the audit trail's appends):
 * - Between a connection's Parse and its Sync, another connection's messages may run. Its BEGIN, or its own
 *   Parse, replaces the session's unnamed statement, so the first connection's Bind fails ("unnamed prepared
 *   statement does not exist") or binds the other connection's statement. Messages queued while a
 *   transaction held everyone back are released together, which makes this common.
 * - A message whose execution throws leaves the queue marked busy for good: every connection hangs.
 *
 * This replaces the queue's loop with one that gives a connection the session from its first message to
 * its Sync or simple Query (an "exchange"), and for as long as a transaction block it opened is open;
 * a message that throws fails alone. The queue is the library's; only its loop and its cleanup change.
 */
export function serializeExchanges(server: PGLiteSocketServer, db: PGlite): void {
  const queue = (server as unknown as { queryQueue?: QueryQueue }).queryQueue;
  if (
    !queue ||
    !Array.isArray(queue.queue) ||
    typeof queue.processQueue !== 'function' ||
    typeof queue.clearTransactionIfNeeded !== 'function'
  ) {
    // Failing loudly beats running with the holes above after an upgrade changed the internals.
    throw new Error('pglite-socket internals changed: review db/embedded-exchanges.ts before upgrading');
  }
  /** The connection that has the session: mid-exchange, or inside its transaction block. */
  let owner: number | null = null;

  queue.processQueue = async function processQueue(this: QueryQueue): Promise<void> {
    if (this.processing) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        const index = owner === null ? 0 : this.queue.findIndex((q) => q.handlerId === owner);
        if (index === -1) break; // the owner's next message has not arrived: the others wait for it
        const [query] = this.queue.splice(index, 1);
        let bytes = 0;
        try {
          await db.runExclusive(() =>
            db.execProtocolRawStream(query.message, {
              onRawData: (data: Uint8Array) => {
                bytes += data.length;
                query.onData(data);
              },
            }),
          );
        } catch (err) {
          // The session is in an unknown state for this exchange; end it so the others go on.
          owner = db.isInTransaction() ? query.handlerId : null;
          this.lastHandlerId = query.handlerId;
          query.reject(err);
          continue;
        }
        this.lastHandlerId = query.handlerId;
        owner = endsExchange(query.message) && !db.isInTransaction() ? null : query.handlerId;
        query.resolve(bytes);
      }
    } finally {
      this.processing = false;
    }
  };

  const clearTransaction = queue.clearTransactionIfNeeded.bind(queue);
  queue.clearTransactionIfNeeded = async function clearTransactionIfNeeded(handlerId: number) {
    // A connection that went away mid-exchange or mid-transaction gives the session back.
    if (owner === handlerId) {
      owner = null;
      if (db.isInTransaction()) this.lastHandlerId = handlerId; // so the library's cleanup rolls it back
    }
    await clearTransaction(handlerId);
    void this.processQueue();
  };
}

/** The library's query queue, as far as this file relies on it. */
interface QueryQueue {
  queue: Array<{
    handlerId: number;
    message: Uint8Array;
    onData(data: Uint8Array): void;
    resolve(bytes: number): void;
    reject(err: unknown): void;
  }>;
  processing: boolean;
  lastHandlerId: number | null;
  processQueue(): Promise<void>;
  clearTransactionIfNeeded(handlerId: number): Promise<void>;
}

/**
 * Whether a frontend message is the last of an exchange: Sync ('S') after Parse/Bind/Describe/Execute,
 * a simple Query ('Q'), a function call ('F'), Terminate ('X'), or a startup packet (no type byte:
 * it begins with its length, whose first byte is 0).
 */
function endsExchange(message: Uint8Array): boolean {
  const type = message[0];
  return type === 0 || type === 0x53 || type === 0x51 || type === 0x46 || type === 0x58;
}
