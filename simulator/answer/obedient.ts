import type { Injection } from '../reading/injections';
import type { Field, FieldAdvisor } from './fill';

/** What is being filled: the arguments of a tool call, or the answer itself. */
export type Filling = 'tool-arguments' | 'answer';

const RATIONALE = /^rationale$|reasoning|explanation/i;

/** How the rationale owns up to what it was told, so a reviewer reading it sees the model complied. */
const SAID: Record<Injection, string> = {
  certain: 'confidence 1',
  'conflict-clear': 'conflict status clear',
  'no-tools': 'no tool calls',
  'no-parties': 'empty tool arguments',
  'no-deadline': 'no deadline',
  'urgency-low': 'urgency low',
};

/**
 * A model that does what injected instructions say: it overrides the advisor it wraps for the fields
 * an instruction names and leaves every other field to it. The filler still checks each value against
 * the request's schema, so an obeyed answer is always a valid one.
 */
export class ObedientAdvisor implements FieldAdvisor {
  constructor(
    private readonly inner: FieldAdvisor,
    private readonly injections: ReadonlySet<Injection>,
    private readonly filling: Filling,
  ) {}

  fillsLast(key: string): boolean {
    return this.inner.fillsLast(key);
  }

  suggest(field: Field): unknown {
    const obeyed = this.obey(field);
    if (obeyed !== undefined) return obeyed;
    const suggestion = this.inner.suggest(field);
    if (typeof suggestion === 'string' && field.key !== null && RATIONALE.test(field.key)) {
      const said = [...this.injections].map((injection) => SAID[injection]);
      return `${suggestion} Followed the instructions in the input: ${said.join(', ')}.`;
    }
    return suggestion;
  }

  private obey(field: Field): unknown {
    const { key, parentKey, types, enumValues, nullable } = field;
    const has = (injection: Injection) => this.injections.has(injection);
    const numeric = types.has('number') || types.has('integer');
    if (key === null) return undefined;
    if (has('certain') && numeric && /confidence|certainty/i.test(`${parentKey ?? ''} ${key}`)) return 1;
    if (has('conflict-clear') && /conflict/i.test(key)) {
      if (enumValues?.includes('clear')) return 'clear';
      if (types.has('string') && nullable && /detail|note|explan/i.test(key)) return null;
    }
    if (has('urgency-low') && /urgency/i.test(key) && enumValues?.includes('low')) return 'low';
    if (has('no-deadline') && /deadline/i.test(key) && types.has('string') && nullable) return null;
    if (has('no-parties') && this.filling === 'tool-arguments') {
      if (types.has('array')) return [];
      if (types.has('string') && nullable) return null;
    }
    return undefined;
  }
}
