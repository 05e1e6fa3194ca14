import pino from 'pino';
import { emptyMapping, pseudonymizeTexts } from '../../pseudonymize';
import { startPseudonymizerThread } from '../../worker/pseudonymizer-thread';

const texts = [
  'Maria Lopez <maria.lopez@example.com>',
  'Slip and fall at Greenleaf Market',
  'Hello, my name is Maria Lopez. I fell at Greenleaf Market on 2026-03-02; call me at (213) 555-0187.\n\nMaria',
];
const context = {
  directoryNames: [{ name: 'Greenleaf Market', kind: 'organization' as const }],
  mapping: emptyMapping(),
};

describe('the pseudonymizer thread', () => {
  const logger = pino({ level: 'silent' });

  it('answers as pseudonymizeTexts does in this thread, for calls in flight together', async () => {
    const thread = startPseudonymizerThread(logger);
    try {
      const expected = pseudonymizeTexts(texts, context);
      expect(expected.texts[2]).not.toContain('Maria');
      const answers = await Promise.all([
        thread.pseudonymizeTexts(texts, context),
        thread.pseudonymizeTexts(texts.slice(2), context),
        thread.pseudonymizeTexts(texts, context),
      ]);
      expect(answers[0]).toEqual(expected);
      expect(answers[2]).toEqual(expected);
      expect(answers[1]).toEqual(pseudonymizeTexts(texts.slice(2), context));
    } finally {
      await thread.close();
    }
  });

  it('starts a new thread when called after it was closed', async () => {
    const thread = startPseudonymizerThread(logger);
    try {
      const first = await thread.pseudonymizeTexts(texts, context);
      await thread.close();
      expect(await thread.pseudonymizeTexts(texts, context)).toEqual(first);
    } finally {
      await thread.close();
    }
  });

  it('fails the call, not the thread, when the context cannot be sent', async () => {
    const thread = startPseudonymizerThread(logger);
    try {
      const unsendable = { ...context, categories: { [Symbol.iterator]: () => [].values() } as never };
      await expect(thread.pseudonymizeTexts(texts, unsendable)).rejects.toThrow();
      expect((await thread.pseudonymizeTexts(texts, context)).texts[0]).not.toContain('Lopez');
    } finally {
      await thread.close();
    }
  });
});
