import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ListAnswerParser } from '../../src/omnize/list-answer.js';
import {
  agentListReading,
  keepAgentFields,
  keepMemberId,
  readAgent,
  readList,
  readMemberIds,
} from '../../src/omnize/mapping.js';
import { DOCUMENTED_AGENT } from './documented-answers.js';

const CONTEXT = { endpoint: 'GET /agents', httpStatus: 200 };

/** What a read gives: its value, or the class and message of the error it throws. */
function outcome(read: () => unknown): unknown {
  try {
    return { value: read() };
  } catch (error) {
    return { error: `${(error as Error).name}: ${(error as Error).message}` };
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

  it('keeps of a department member exactly what readMemberIds reads (a valid ID bare)', () => {
    fc.assert(
      fc.property(fc.array(item, { maxLength: 4 }), (items) => {
        expect(outcome(() => readMemberIds(items.map(keepMemberId), CONTEXT))).toStrictEqual(
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
    expect(keepMemberId({ agent_id: 5, id: 9, name: 'Ana' })).toBe(5);
    expect(keepMemberId({ id: '9', department_id: 2 })).toStrictEqual({ id: '9', agent_id: undefined });
    expect(keepMemberId('12')).toBe('12');
  });

  it('reads an agents answer as it arrives exactly as the whole answer, its first error included', () => {
    const agent = fc.record({
      id: fc.integer({ min: 1, max: 50 }),
      email: fc.constantFrom('a@x.example', 'b@x.example'),
      name: fc.string({ maxLength: 3 }),
      administrator: fc.constantFrom('SIM', 'NAO'),
      ativo: fc.constantFrom(0, 1),
      photo: fc.constant(null),
    });
    const listed = fc.oneof({ weight: 4, arbitrary: agent }, { weight: 1, arbitrary: item });
    const data = fc.oneof(
      fc.array(listed, { maxLength: 5 }),
      fc.array(fc.array(listed, { maxLength: 3 }), { maxLength: 2 }),
      fc.array(fc.oneof(listed, fc.array(listed, { maxLength: 2 })), { maxLength: 3 }),
    );
    fc.assert(
      fc.property(data, (list) => {
        const text = JSON.stringify({ status: 200, success: true, data: list });
        const whole = () =>
          readList(JSON.parse(text).data, CONTEXT).map((raw) => readAgent(raw, { accountId: 3 }, CONTEXT));
        const reading = agentListReading({ accountId: 3 });
        const parser = new ListAnswerParser(reading.keep);
        parser.write(text);
        const arriving = () => reading.read((parser.end() as { data: unknown }).data, CONTEXT);
        expect(outcome(arriving)).toStrictEqual(outcome(whole));
        // An answer read whole (no body stream) goes through `read` alone.
        const unstreamed = agentListReading({ accountId: 3 });
        expect(outcome(() => unstreamed.read(JSON.parse(text).data, CONTEXT))).toStrictEqual(outcome(whole));
      }),
      { numRuns: 3000 },
    );
  });
});
