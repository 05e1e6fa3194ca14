import pino from 'pino';
import { loadConfig, REDACTED_PATHS } from '../../config';
import { configErrorOf, shipped, withFile } from './support';

const messageOf = (fn: () => unknown): string => configErrorOf(fn).message;

const secret = 'whsec-0123456789abcdef';

function withWebhooks(webhooks: unknown): string {
  return withFile({ ...shipped, notifications: { webhooks } });
}

describe('notifications config', () => {
  it('ships with no webhooks, and a file without the section means none', () => {
    expect(loadConfig({ file: withFile(shipped), env: {} }).notifications).toEqual({ webhooks: [] });
    const older = structuredClone(shipped);
    delete older.notifications;
    expect(loadConfig({ file: withFile(older), env: {} }).notifications).toEqual({ webhooks: [] });
  });

  it('accepts an https receiver subscribed to some event types', () => {
    const webhook = { url: 'https://hooks.example.com/docket', secret, events: ['review.requested'] };
    expect(loadConfig({ file: withWebhooks([webhook]), env: {} }).notifications.webhooks).toEqual([webhook]);
  });

  it('names the key of a bad receiver and never repeats its secret', () => {
    const good = { url: 'https://hooks.example.com/docket', secret, events: ['workflow.completed'] };
    const cases: Array<[unknown, RegExp]> = [
      [{ ...good, url: 'ftp://hooks.example.com/docket' }, /notifications\.webhooks\.0\.url/],
      [{ ...good, secret: 'short' }, /notifications\.webhooks\.0\.secret/],
      [{ ...good, events: [] }, /notifications\.webhooks\.0\.events/],
      [{ ...good, events: ['workflow.exploded'] }, /notifications\.webhooks\.0\.events\.0/],
      [{ ...good, retries: 3 }, /retries/],
    ];
    for (const [webhook, key] of cases) {
      const message = messageOf(() => loadConfig({ file: withWebhooks([webhook]), env: {} }));
      expect(message).toMatch(key);
      expect(message).not.toContain(secret);
    }
  });

  it('keeps webhook secrets out of log lines', () => {
    const lines: string[] = [];
    // The root logger's redact paths, writing here instead of stdout.
    const logger = pino(
      { redact: { paths: REDACTED_PATHS, censor: '[redacted]' } },
      {
        write: (line: string) => void lines.push(line),
      },
    );
    const config = loadConfig({
      file: withWebhooks([{ url: 'https://hooks.example.com/a', secret, events: ['review.overdue'] }]),
      env: {},
    });
    logger.info({ config }, 'config');
    logger.info(config, 'config as the root object');
    logger.info({ notifications: config.notifications }, 'notifications');
    logger.info({ webhooks: config.notifications.webhooks }, 'webhooks');
    logger.info({ webhook: config.notifications.webhooks[0] }, 'webhook');
    expect(lines).toHaveLength(5);
    for (const line of lines) expect(line).not.toContain(secret);
    expect(lines.join('')).toContain('hooks.example.com');
    expect(lines.every((line) => line.includes('[redacted]'))).toBe(true);
  });
});
