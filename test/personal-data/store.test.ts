import { tokenizeValue } from '../../pseudonymize';
import { recordingDatabase, startTestDatabase, type TestDatabase } from '../db/support';
import { testPersonalDataStore } from '../support/encryption';

describe('the pseudonym mapping store', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await startTestDatabase();
  });
  afterAll(async () => {
    await database?.close();
  });

  it('gives every value one token and every token one value when many activities extend it at once', async () => {
    const store = testPersonalDataStore(database.db);
    const names = Array.from({ length: 12 }, (_, i) => `Person Number${String.fromCharCode(65 + i)}`);
    // Each name asked for twice, all at the same time, as parallel tool calls on several workers would.
    const tokens = await Promise.all(
      [...names, ...names].map((name) =>
        store.updateMapping('wf-race', (mapping) => {
          const { token, mapping: next } = tokenizeValue(mapping, 'PERSON', name);
          return { mapping: next, result: [name, token] as const };
        }),
      ),
    );
    const mapping = await store.loadMapping('wf-race');
    expect(Object.keys(mapping.tokens)).toHaveLength(names.length);
    expect(new Set(Object.values(mapping.tokens))).toEqual(new Set(names));
    for (const [name, token] of tokens) expect(mapping.tokens[token]).toBe(name);
  });

  it('writes nothing when a change adds nothing', async () => {
    const store = testPersonalDataStore(database.db);
    await store.updateMapping('wf-quiet', (mapping) => ({ mapping, result: null }));
    const { rows } = await database.db.query('SELECT 1 FROM pseudonym_mappings WHERE workflow_id = $1', [
      'wf-quiet',
    ]);
    expect(rows).toHaveLength(0);
  });

  it('extends a mapping with one statement and no transaction, and keeps a change made meanwhile', async () => {
    const { db, statements } = recordingDatabase(database.db);
    const store = testPersonalDataStore(db);
    const add = (name: string) => (mapping: Parameters<typeof tokenizeValue>[0]) => {
      const { token, mapping: next } = tokenizeValue(mapping, 'PERSON', name);
      return { mapping: next, result: token };
    };

    const empty = await store.readMapping('wf-cas');
    statements.length = 0;
    await store.updateMapping('wf-cas', add('Ada First'), empty);
    expect(statements).toEqual([expect.stringMatching(/^INSERT INTO pseudonym_mappings/)]);

    const first = await store.readMapping('wf-cas');
    statements.length = 0;
    await store.updateMapping('wf-cas', add('Bea Second'), first);
    expect(statements).toEqual([expect.stringMatching(/^UPDATE pseudonym_mappings/)]);

    // A writer holding the mapping as it was before Bea's token: its write finds the row changed,
    // reads it again and adds its own value to what is there now.
    statements.length = 0;
    const token = await store.updateMapping('wf-cas', add('Cy Third'), first);
    expect(statements.filter((sql) => sql.startsWith('BEGIN'))).toEqual([]);
    const { tokens } = await store.loadMapping('wf-cas');
    expect(Object.values(tokens).sort()).toEqual(['Ada First', 'Bea Second', 'Cy Third']);
    expect(tokens[token]).toBe('Cy Third');
  });
});
