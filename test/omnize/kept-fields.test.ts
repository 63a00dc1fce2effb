import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keepAgentFields, keepMemberFields, readAgent, readMemberIds } from '../../src/omnize/mapping.js';
import { DOCUMENTED_AGENT } from './documented-answers.js';

const CONTEXT = { endpoint: 'GET /agents', httpStatus: 200 };

/** What a read gives: its value, or the message of the error it throws. */
function outcome(read: () => unknown): unknown {
  try {
    return { value: read() };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/** Agent-like items: the fields the mapping reads (with odd values too), the API's others, and non-objects. */
const item = fc.oneof(
  fc.dictionary(
    fc.constantFrom(
      'id',
      'account_id',
      'email',
      'name',
      'profile',
      'administrator',
      'ativo',
      'agent_id',
      'photo',
    ),
    fc.oneof(fc.jsonValue(), fc.constantFrom(7, '12', 'SIM', 'NAO', 'ADMIN', 1, 0, 'a@b.com')),
  ),
  fc.jsonValue(),
);

describe('what list answers keep of each item', () => {
  it('keeps of an agent exactly what readAgent reads', () => {
    fc.assert(
      fc.property(item, (raw) => {
        const defaults = { accountId: 3, email: 'd@x.com' };
        expect(outcome(() => readAgent(keepAgentFields(raw), defaults, CONTEXT))).toStrictEqual(
          outcome(() => readAgent(raw, defaults, CONTEXT)),
        );
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps of a department member exactly what readMemberIds reads', () => {
    fc.assert(
      fc.property(fc.array(item, { maxLength: 4 }), (items) => {
        expect(outcome(() => readMemberIds(items.map(keepMemberFields), CONTEXT))).toStrictEqual(
          outcome(() => readMemberIds(items, CONTEXT)),
        );
      }),
      { numRuns: 2000 },
    );
  });

  it('drops the fields the program never reads', () => {
    const answerAgent = { ...DOCUMENTED_AGENT, photo: null, date_creation: '2026-01-01 00:00:00' };
    const kept = keepAgentFields(answerAgent) as Record<string, unknown>;
    expect(Object.keys(kept).sort()).toEqual(
      ['account_id', 'administrator', 'ativo', 'email', 'id', 'name', 'profile'].sort(),
    );
    expect(keepMemberFields({ agent_id: 5, department_id: 2 })).toStrictEqual({ id: undefined, agent_id: 5 });
    expect(keepMemberFields('12')).toBe('12');
  });
});
