import { ApplicationFailure, Context } from '@temporalio/activity';
import { z } from 'zod';
import type { Logger, Webhook } from '../../config';
import { DocketEvent } from '../../domain';
import { SIGNATURE_HEADER, signDocketPayload } from './signature';

export interface NotificationDeps {
  webhooks: readonly Webhook[];
  logger: Logger;
  /** The HTTP transport; default the global `fetch`. */
  fetch?: typeof fetch;
}

export interface DeliverEventResult {
  /** Webhooks subscribed to the event's type. */
  subscribed: number;
  /** Of those, the ones that have it now (in this attempt or an earlier one). */
  delivered: number;
}

/** A receiver that neither answers nor fails within this long counts as a failed attempt. */
const REQUEST_TIMEOUT_MS = 10_000;

/** Heartbeat details: indexes (into the configured webhooks) of the receivers that already got the event. */
const DeliveredIndexes = z.array(z.number().int().nonnegative()).catch([]);

/**
 * `deliverEvent`: POSTs a signed event to every webhook subscribed to its type. Any non-2xx or network
 * error fails the attempt (retryable: Temporal retries it); receivers that answered 2xx are recorded in
 * the heartbeat details, so a retry sends the event only to those that have not got it.
 * Logs name the receiver's host, never its URL (which may hold a token), the secret or the body.
 */
export function createDeliverEvent({ webhooks, logger, fetch: send = fetch }: NotificationDeps) {
  const log = logger.child({ activity: 'deliverEvent' });
  return async function deliverEvent(input: DocketEvent): Promise<DeliverEventResult> {
    const parsed = DocketEvent.safeParse(input);
    if (!parsed.success) {
      const fields = [...new Set(parsed.error.issues.map((i) => i.path.join('.') || '(event)'))].join(', ');
      throw ApplicationFailure.nonRetryable(`deliverEvent: invalid event in ${fields}`, 'InvalidDocketEvent');
    }
    const event = parsed.data;
    const context = Context.current();
    const { attempt } = context.info;
    const delivered = new Set(DeliveredIndexes.parse(context.info.heartbeatDetails));
    const recordDelivered = () => context.heartbeat([...delivered].sort((a, b) => a - b));
    // Recorded again at once: a retry is promised the details of the last attempt, which may deliver nothing new.
    if (delivered.size > 0) recordDelivered();
    const subscribed = webhooks.flatMap((webhook, index) =>
      webhook.events.includes(event.type) ? [index] : [],
    );
    const body = JSON.stringify(event);
    const failures: string[] = [];

    await Promise.all(
      subscribed
        .filter((index) => !delivered.has(index))
        .map(async (index) => {
          const webhook = webhooks[index];
          const host = new URL(webhook.url).host;
          const outcome = await post(send, webhook, event.id, body, context.cancellationSignal);
          const fields = { host, type: event.type, status: outcome.status, attempt };
          if (outcome.ok) {
            delivered.add(index);
            recordDelivered();
            log.info(fields, 'event delivered');
          } else {
            failures.push(`${host} ${outcome.status ?? outcome.error}`);
            log.warn({ ...fields, error: outcome.error }, 'event delivery failed');
          }
        }),
    );

    if (failures.length > 0) {
      throw ApplicationFailure.retryable(
        `deliverEvent: ${failures.length} of ${subscribed.length} webhooks failed (${failures.join(', ')})`,
        'WebhookDeliveryFailed',
      );
    }
    return { subscribed: subscribed.length, delivered: subscribed.length };
  };
}

type Outcome = { ok: true; status: number } | { ok: false; status?: number; error?: string };

async function post(
  send: typeof fetch,
  webhook: Webhook,
  eventId: string,
  body: string,
  cancelled: AbortSignal,
): Promise<Outcome> {
  try {
    const response = await send(webhook.url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'Docket-Event-Id': eventId,
        [SIGNATURE_HEADER]: signDocketPayload(webhook.secret, body),
      },
      body,
      signal: AbortSignal.any([AbortSignal.timeout(REQUEST_TIMEOUT_MS), cancelled]),
      // A redirect would resend the signed body to a URL nobody configured.
      redirect: 'manual',
    });
    // The answer's body is not needed: discarding it frees the connection.
    await response.body?.cancel();
    return response.ok ? { ok: true, status: response.status } : { ok: false, status: response.status };
  } catch (err) {
    // The error's class and code only: a fetch error message can quote the URL.
    const code = err instanceof Error ? (err.cause as { code?: unknown } | undefined)?.code : undefined;
    const name = err instanceof Error ? err.name : 'Error';
    return { ok: false, error: typeof code === 'string' ? `${name} ${code}` : name };
  }
}
