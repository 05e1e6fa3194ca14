import { zodFunction, zodResponseFormat } from 'openai/helpers/zod';
import { z } from 'zod';
import { lazySchema } from '../../domain';

/** The same definitions twice: built now, and built on first use. */
function definitions(wrap: <T extends z.ZodType>(build: () => T) => T) {
  const Day = wrap(() =>
    z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .describe('YYYY-MM-DD'),
  );
  const Kind = wrap(() => z.enum(['incident', 'hearing']));
  const Event = wrap(() =>
    z.object({
      kind: Kind,
      day: Day,
      until: Day.nullable().describe('When it ends; null when it does not.'),
    }),
  );
  const Hearing = wrap(() => Event.extend({ court: z.string().min(1) }));
  const Case = wrap(() =>
    z.object({ events: z.array(Event).max(5), first: Event.nullable(), ...Hearing.shape }).strict(),
  );
  return { Day, Kind, Event, Hearing, Case };
}

const eager = definitions((build) => build());
const lazy = definitions(lazySchema);

const event = { kind: 'hearing', day: '2026-12-07', until: null };
const aCase = { events: [event], first: event, ...event, court: 'Superior Court' };

describe('lazySchema', () => {
  it('builds its schema on first use, once', () => {
    let builds = 0;
    const Name = lazySchema(() => {
      builds += 1;
      return z.string().min(1);
    });
    const Person = lazySchema(() => z.object({ name: Name }));
    expect(builds).toBe(0);
    expect(Person.safeParse({ name: 'Ann' }).success).toBe(true);
    expect(Name.parse('Bo')).toBe('Bo');
    expect(builds).toBe(1);
  });

  it('parses and refuses what the schema it stands for does, with the same issues', () => {
    expect(lazy.Case.parse(aCase)).toEqual(eager.Case.parse(aCase));
    const bad = { ...aCase, events: [{ ...event, day: '7 Dec' }], extra: 1 };
    expect(lazy.Case.safeParse(bad).error?.issues).toEqual(eager.Case.safeParse(bad).error?.issues);
  });

  it('answers for the schema: instanceof, in, shape, options, enum, description', () => {
    expect(lazy.Event).toBeInstanceOf(z.ZodObject);
    expect(lazy.Kind).not.toBeInstanceOf(z.ZodObject);
    expect('_zod' in lazy.Event).toBe(true);
    expect(Object.keys(lazy.Hearing.shape)).toEqual(['kind', 'day', 'until', 'court']);
    expect(lazy.Kind.options).toEqual(['incident', 'hearing']);
    expect(lazy.Kind.enum.hearing).toBe('hearing');
    expect(lazy.Day.description).toBe('YYYY-MM-DD');
  });

  it('gives the same JSON Schema, descriptions of its fields included', () => {
    for (const name of ['Day', 'Kind', 'Event', 'Hearing', 'Case'] as const) {
      expect(z.toJSONSchema(lazy[name])).toEqual(z.toJSONSchema(eager[name]));
      expect(z.toJSONSchema(lazy[name], { io: 'input' })).toEqual(
        z.toJSONSchema(eager[name], { io: 'input' }),
      );
    }
  });

  it('gives the OpenAI helpers the same strict response format and function', () => {
    expect(zodResponseFormat(lazy.Case, 'case')).toEqual(zodResponseFormat(eager.Case, 'case'));
    expect(zodFunction({ name: 'file', parameters: lazy.Hearing })).toEqual(
      zodFunction({ name: 'file', parameters: eager.Hearing }),
    );
  });

  it('is the schema other schemas hold, so a registry names it where it is used as is', () => {
    const registry = z.registry<{ id: string }>();
    registry.add(lazy.Event, { id: 'Event' });
    registry.add(lazy.Case, { id: 'Case' });
    const { schemas } = z.toJSONSchema(registry, { uri: (id) => `#/components/schemas/${id}` });
    const events = (schemas.Case as unknown as { properties: { events: { items: unknown } } }).properties
      .events;
    expect(events.items).toEqual({ $ref: '#/components/schemas/Event' });
    expect(z.toJSONSchema(lazy.Event)).toEqual(z.toJSONSchema(eager.Event));
  });
});
