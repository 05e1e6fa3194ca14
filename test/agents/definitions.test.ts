import { zodFunction, zodResponseFormat } from 'openai/helpers/zod';
import { AGENTS, Assessment, Classification, Draft, LEGAL_TOOLS } from '../../agents';
import { loadConfig } from '../../config';

describe('agent definitions', () => {
  it('name a configured tier, never a model', () => {
    const config = loadConfig({ env: {} });
    for (const agent of Object.values(AGENTS)) {
      expect(Object.keys(config.models)).toContain(agent.tier);
      expect(agent.instructions).not.toMatch(/gpt-|o1-|o3-/i);
    }
    expect(AGENTS.classifier.tier).toBe('fast');
    expect(AGENTS.reasoner.tier).toBe('reasoning');
    expect(AGENTS.drafter.tier).toBe('drafting');
  });

  it('only require tools they may call', () => {
    for (const agent of Object.values(AGENTS)) {
      const names = agent.tools.map((tool) => tool.name);
      for (const tool of agent.requiredTools) expect(names).toContain(tool);
      for (const tool of agent.tools) expect(LEGAL_TOOLS).toContain(tool);
    }
  });

  it('have output schemas that OpenAI strict structured outputs accept', () => {
    for (const agent of Object.values(AGENTS)) {
      const format = zodResponseFormat(agent.outputSchema, agent.outputName);
      expect(format.json_schema.strict).toBe(true);
      const schema = format.json_schema.schema as { required: string[]; properties: Record<string, unknown> };
      // strict mode: every property is required (optional ones are nullable instead)
      expect(schema.required.sort()).toEqual(Object.keys(schema.properties).sort());
      expect(schema.required).toEqual(expect.arrayContaining(['confidence', 'rationale']));
    }
    for (const tool of LEGAL_TOOLS) {
      expect(zodFunction({ name: tool.name, parameters: tool.args }).function.strict).toBe(true);
    }
  });
});

describe('agent output schemas', () => {
  const classification = {
    matterType: 'employment',
    urgency: 'high',
    jurisdiction: null,
    client: { name: 'A. Person', email: null, phone: null, organization: null },
    opposingParties: ['Initech LLC'],
    keyDates: [{ kind: 'termination', date: '2026-10-01', description: 'fired' }],
    fieldConfidence: { matterType: 0.8, urgency: 0.7, jurisdiction: 0.2, client: 0.6, opposingParties: 0.7 },
    confidence: 0.2,
    rationale: 'No state named.',
  };

  it('accept a well-formed classification', () => {
    expect(Classification.safeParse(classification).success).toBe(true);
  });

  it('reject confidence outside [0,1], unknown matter types and bad dates', () => {
    expect(Classification.safeParse({ ...classification, confidence: 1.2 }).success).toBe(false);
    expect(Classification.safeParse({ ...classification, matterType: 'tax' }).success).toBe(false);
    expect(
      Classification.safeParse({
        ...classification,
        keyDates: [{ kind: 'incident', date: '1 Oct 2026', description: 'x' }],
      }).success,
    ).toBe(false);
  });

  it('carry a confidence and a rationale in every output', () => {
    for (const schema of [Classification, Assessment, Draft]) {
      expect(Object.keys(schema.shape)).toEqual(expect.arrayContaining(['confidence', 'rationale']));
    }
  });
});
