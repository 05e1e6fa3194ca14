import { hashApiKey, loadConfig } from '../../config';
import { durationMs } from '../../config/schema';
import { configErrorOf, shipped, withFile } from './support';

describe('loadConfig', () => {
  it('accepts the shipped temporal.config.json', () => {
    const config = loadConfig({ file: withFile(shipped), env: {} });
    expect(config.temporal.taskQueue).toBe('docket');
    expect(config.models.fast[0].model).toBe('gpt-4o-mini-2024-07-18');
    expect(config.models.reasoning[0].model).toBe('o1-2024-12-17');
    expect(config.models.drafting[0].model).toBe('gpt-4o-2024-08-06');
    expect(config.provider.apiKey).toBeNull();
  });

  it('lets environment variables override keys', () => {
    const config = loadConfig({
      file: withFile(shipped),
      env: {
        TEMPORAL_ADDRESS: 'temporal.internal:7233',
        TEMPORAL_NAMESPACE: 'docket-prod',
        OPENAI_API_KEY: 'sk-test-1234567890',
        OPENAI_BASE_URL: 'https://llm.internal/v1',
        DATABASE_URL: 'postgres://docket@db.internal/docket',
        PORT: '8080',
      },
    });
    expect(config.temporal.address).toBe('temporal.internal:7233');
    expect(config.temporal.namespace).toBe('docket-prod');
    expect(config.provider).toMatchObject({
      apiKey: 'sk-test-1234567890',
      baseURL: 'https://llm.internal/v1',
    });
    expect(config.database.url).toBe('postgres://docket@db.internal/docket');
    expect(config.api.port).toBe(8080);
  });

  it('names the key of a bad value', () => {
    const bad = structuredClone(shipped);
    bad.agents.classifier.confidenceThreshold = 1.5;
    expect(configErrorOf(() => loadConfig({ file: withFile(bad), env: {} })).message).toMatch(
      /agents\.classifier\.confidenceThreshold/,
    );
  });

  it('names the environment variable a bad value came from', () => {
    const message = configErrorOf(() =>
      loadConfig({ file: withFile(shipped), env: { PORT: 'eighty' } }),
    ).message;
    expect(message).toMatch(/PORT/);
    const outOfRange = configErrorOf(() =>
      loadConfig({ file: withFile(shipped), env: { PORT: '70000' } }),
    ).message;
    expect(outOfRange).toMatch(/api\.port \(from PORT\)/);
  });

  it('rejects a missing model tier and unknown keys', () => {
    const noTier = structuredClone(shipped);
    delete noTier.models.reasoning;
    expect(configErrorOf(() => loadConfig({ file: withFile(noTier), env: {} })).message).toMatch(
      /models\.reasoning/,
    );

    const typo = structuredClone(shipped);
    typo.review.slaHour = 4;
    expect(configErrorOf(() => loadConfig({ file: withFile(typo), env: {} })).message).toMatch(/slaHour/);
  });

  it('says which file cannot be read or parsed', () => {
    expect(configErrorOf(() => loadConfig({ file: '/nonexistent/docket.json', env: {} })).message).toMatch(
      /\/nonexistent\/docket\.json/,
    );
    expect(configErrorOf(() => loadConfig({ file: withFile('{ not json'), env: {} })).message).toMatch(
      /cannot read/,
    );
  });

  it('merges an overlay over the file, key by key, before the environment', () => {
    const o3mini = shipped.models.reasoning.find((m: { model: string }) => m.model === 'o3-mini-2025-01-31');
    const overlay = withFile({
      models: { reasoning: [o3mini] },
      agents: { reasoner: { confidenceThreshold: 0.5 } },
    });
    const config = loadConfig({ file: withFile(shipped), overlay, env: { PORT: '8081' } });
    // A list replaces the file's; an object is merged, so the keys the overlay leaves out stay as they were.
    expect(config.models.reasoning.map((m) => m.model)).toEqual(['o3-mini-2025-01-31']);
    expect(config.models.fast[0].model).toBe(shipped.models.fast[0].model);
    expect(config.agents.reasoner.confidenceThreshold).toBe(0.5);
    expect(config.agents.reasoner.maxToolRounds).toBe(shipped.agents.reasoner.maxToolRounds);
    expect(config.api.port).toBe(8081);
  });

  it('names the overlay and its key when the overlay is wrong, and refuses a secret in it', () => {
    const typo = withFile({ agents: { reasoner: { confidenceTreshold: 0.5 } } });
    const unknownKey = configErrorOf(() => loadConfig({ file: withFile(shipped), overlay: typo, env: {} }));
    expect(unknownKey.message).toMatch(/confidenceTreshold/);
    const bad = withFile({ agents: { reasoner: { confidenceThreshold: 2 } } });
    expect(
      configErrorOf(() => loadConfig({ file: withFile(shipped), overlay: bad, env: {} })).message,
    ).toContain(`agents.reasoner.confidenceThreshold (from ${bad})`);
    const secret = withFile({ providers: { openai: { apiKey: 'sk-in-a-file' } } });
    expect(
      configErrorOf(() => loadConfig({ file: withFile(shipped), overlay: secret, env: {} })).message,
    ).toMatch(new RegExp(`providers\\.openai\\.apiKey in ${secret}`));
    expect(
      configErrorOf(() => loadConfig({ file: withFile(shipped), overlay: '/nonexistent/o.json', env: {} }))
        .message,
    ).toMatch(/cannot read config file \/nonexistent\/o\.json/);
  });

  it('hashes DOCKET_API_KEYS and never repeats a key in an error', () => {
    const key = 'operator-key-0123456789';
    const config = loadConfig({
      file: withFile(shipped),
      env: { DOCKET_API_KEYS: `ops:operator:${key},rev:reviewer:reviewer-key-0123456789` },
    });
    expect(config.api.keys).toEqual([
      { name: 'ops', role: 'operator', sha256: hashApiKey(key) },
      { name: 'rev', role: 'reviewer', sha256: hashApiKey('reviewer-key-0123456789') },
    ]);

    const secret = 'root-secret-0123456789';
    const message = configErrorOf(() =>
      loadConfig({ file: withFile(shipped), env: { DOCKET_API_KEYS: `root:superuser:${secret}` } }),
    ).message;
    expect(message).toMatch(/DOCKET_API_KEYS entry 1/);
    expect(message).not.toContain(secret);
  });

  it('limits a DOCKET_API_KEYS key to the workflow types of its fourth field; none means all', () => {
    const config = loadConfig({
      file: withFile(shipped),
      env: {
        DOCKET_API_KEYS:
          'memos:reviewer:memo-key-0123456789:legal-intake+memo-check,all:reviewer:all-key-0123456789',
      },
    });
    expect(config.api.keys).toEqual([
      {
        name: 'memos',
        role: 'reviewer',
        sha256: hashApiKey('memo-key-0123456789'),
        types: ['legal-intake', 'memo-check'],
      },
      { name: 'all', role: 'reviewer', sha256: hashApiKey('all-key-0123456789') },
    ]);
  });

  it('refuses a workflow type that is no REST name, naming the entry, never the key', () => {
    const key = 'scoped-secret-0123456789';
    for (const types of ['Legal_Intake', 'memo-check+', '', '9lives', 'legal-intake:memo-check']) {
      const message = configErrorOf(() =>
        loadConfig({
          file: withFile(shipped),
          env: { DOCKET_API_KEYS: `ops:operator:operator-key-0123456789,rev:reviewer:${key}:${types}` },
        }),
      ).message;
      expect(message).toMatch(/DOCKET_API_KEYS entry 2/);
      expect(message).not.toContain(key);
      if (types) expect(message).not.toContain(types);
    }
  });

  it('takes types on a hashed key in the file, and refuses one that is no REST name, naming its place', () => {
    const sha256 = hashApiKey('file-key-0123456789');
    const withKeys = (types: unknown) =>
      withFile({
        ...shipped,
        api: { ...shipped.api, keys: [{ name: 'memos', role: 'reviewer', sha256, types }] },
      });
    const config = loadConfig({ file: withKeys(['memo-check']), env: {} });
    expect(config.api.keys).toEqual([{ name: 'memos', role: 'reviewer', sha256, types: ['memo-check'] }]);
    expect(configErrorOf(() => loadConfig({ file: withKeys(['Memo Check']), env: {} })).message).toMatch(
      /api\.keys\.0\.types\.0/,
    );
    expect(configErrorOf(() => loadConfig({ file: withKeys([]), env: {} })).message).toMatch(
      /api\.keys\.0\.types/,
    );
  });
});

describe('review and policy settings', () => {
  /** The shipped config with `change` applied to a copy. */
  function load(change: (config: typeof shipped) => void) {
    const config = structuredClone(shipped);
    change(config);
    return loadConfig({ file: withFile(config), env: {} });
  }
  const refusal = (change: (config: typeof shipped) => void) => configErrorOf(() => load(change)).message;

  it('reads the shipped SLAs, escalation and policy', () => {
    const config = loadConfig({ file: withFile(shipped), env: {} });
    expect(config.review).toEqual({
      sla: { default: '24h', high: '8h', critical: '2h' },
      escalateAfter: '24h',
      escalateAction: 'keep_waiting',
    });
    expect(config.policy).toEqual({
      limitationWarningDays: 30,
      whenCheckIncomplete: { conflicts: 'escalate', limitation: 'escalate' },
    });
  });

  it.each([
    ['90s', 90_000],
    ['15m', 900_000],
    ['2h', 7_200_000],
    ['1.5d', 129_600_000],
    ['500ms', 500],
  ])('accepts the duration %s (%i ms)', (text, ms) => {
    const config = load((c) => {
      c.review.sla = { default: text, 'reason.critical': text };
      c.review.escalateAfter = text;
    });
    expect(config.review.sla.default).toBe(text);
    expect(durationMs(config.review.sla['reason.critical'])).toBe(ms);
    expect(durationMs(config.review.escalateAfter!)).toBe(ms);
  });

  it.each(['24', '2 hours', '2H', '-1h', '1,5d', 'h', '0s', '0.0001s'])(
    'refuses the duration %j, naming the key',
    (text) => {
      expect(refusal((c) => (c.review.sla.default = text))).toMatch(/review\.sla\.default: must be/);
    },
  );

  it('accepts never escalating, and refuses a bad escalation time by its key', () => {
    expect(load((c) => (c.review.escalateAfter = null)).review.escalateAfter).toBeNull();
    expect(refusal((c) => (c.review.escalateAfter = '1 day'))).toMatch(/review\.escalateAfter/);
  });

  it('refuses SLAs without a default, so every review has a due time', () => {
    expect(refusal((c) => (c.review.sla = { critical: '2h' }))).toMatch(/review\.sla: needs a default/);
  });

  it('refuses an SLA key that is not default, an urgency, a stage or both', () => {
    expect(refusal((c) => (c.review.sla['Critical Matters'] = '2h'))).toMatch(/review\.sla/);
  });

  it('refuses an escalation action it does not know', () => {
    expect(refusal((c) => (c.review.escalateAction = 'page_the_partner'))).toMatch(/review\.escalateAction/);
    for (const action of ['keep_waiting', 'reject', 'approve_if_only_low_confidence']) {
      expect(load((c) => (c.review.escalateAction = action)).review.escalateAction).toBe(action);
    }
  });

  it('refuses a policy that neither escalates nor proceeds on an incomplete check', () => {
    expect(refusal((c) => (c.policy.whenCheckIncomplete.conflicts = 'ignore'))).toMatch(
      /policy\.whenCheckIncomplete\.conflicts/,
    );
    expect(refusal((c) => (c.policy.limitationWarningDays = -1))).toMatch(/policy\.limitationWarningDays/);
  });

  it('refuses a config without the review or policy sections', () => {
    expect(refusal((c) => delete c.review)).toMatch(/review/);
    expect(refusal((c) => delete c.policy)).toMatch(/policy/);
  });
});
