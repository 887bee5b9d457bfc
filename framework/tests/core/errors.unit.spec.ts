/** Every error the core throws on purpose: its class, stable code and a message that says what to do. */
import { describe, expect, it } from 'vitest';
import {
  ConfigurationError,
  Domain,
  ExpectedVersionError,
  field,
  IncorrectUsageError,
  InvariantViolation,
  NotFoundError,
  ProteanError,
  ValidationError,
} from '../../src/index.js';

async function caught(action: () => unknown): Promise<ProteanError> {
  try {
    await action();
  } catch (error) {
    expect(error).toBeInstanceOf(ProteanError);
    return error as ProteanError;
  }
  throw new Error('expected the action to throw');
}

function members() {
  const domain = new Domain({ name: 'club', config: {} });
  class Member extends domain.aggregate(
    'Member',
    { email: field.string({ required: true, unique: true }), age: field.integer({ min: 0 }) },
    {
      invariants: {
        adult: (m) => {
          if ((m.age ?? 18) < 18) throw new InvariantViolation('members must be adults');
        },
      },
    },
  ) {
    birthday(years: number) {
      this.age = years;
    }
  }
  return { domain, Member };
}

describe('errors', () => {
  it('ValidationError: VALIDATION_ERROR, every bad field, what was received', async () => {
    const { Member } = members();
    const error = await caught(() => new Member({ email: 42 as unknown as string, age: -1 }));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.code).toBe('VALIDATION_ERROR');
    expect(error.message).toBe(
      'Member is invalid: email must be a string, received 42; age must be >= 0',
    );
  });

  it('InvariantViolation: INVARIANT_VIOLATION, naming the rule', async () => {
    const { Member } = members();
    const member = new Member({ email: 'a@example.com', age: 30 });
    const error = await caught(() => member.birthday(12));
    expect(error).toBeInstanceOf(InvariantViolation);
    expect(error.code).toBe('INVARIANT_VIOLATION');
    expect(error.message).toBe('Member breaks its rules: adult: members must be adults');
    expect((error as InvariantViolation).violations).toEqual({ adult: 'members must be adults' });
  });

  it('ValidationError for a unique field already used by another aggregate', async () => {
    const { domain, Member } = members();
    await domain.init();
    const first = await domain.repository(Member).add(new Member({ email: 'a@example.com' }));
    const error = await caught(() =>
      domain.repository(Member).add(new Member({ email: 'a@example.com' })),
    );
    expect(error.code).toBe('VALIDATION_ERROR');
    expect((error as ValidationError).errors).toEqual({
      email: [`must be unique: "a@example.com" is already used by Member ${first.id}`],
    });
    first.age = 40;
    await expect(domain.repository(Member).add(first)).resolves.toBe(first);
    expect(await domain.repository(Member).count()).toBe(1);
    await domain.close();
  });

  it('ExpectedVersionError: EXPECTED_VERSION_ERROR, both versions, and to reload', async () => {
    const { domain, Member } = members();
    await domain.init();
    const member = await domain.repository(Member).add(new Member({ email: 'a@example.com' }));
    const stale = await domain.repository(Member).get(member.id);
    await domain.repository(Member).add(member);
    const error = await caught(() => domain.repository(Member).add(stale));
    expect(error).toBeInstanceOf(ExpectedVersionError);
    expect(error).toMatchObject({ code: 'EXPECTED_VERSION_ERROR', expected: 1, actual: 2 });
    expect(error.message).toContain('was expected at version 1 but is at version 2');
    expect(error.message).toContain('load it again and retry');
    await domain.close();
  });

  it('NotFoundError: NOT_FOUND, the element and id, and getOrNull as the way out', async () => {
    const { domain, Member } = members();
    await domain.init();
    const error = await caught(() => domain.repository(Member).get('m-404'));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toBe(
      'Member with id "m-404" was not found in domain "club"; check the id, or use getOrNull() when absence is expected.',
    );
    await domain.close();
  });

  it('ConfigurationError: CONFIGURATION_ERROR, key path and expected values', async () => {
    const domain = new Domain({ name: 'club', config: { event_processing: 'later' as 'sync' } });
    const error = await caught(() => domain.init());
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error.code).toBe('CONFIGURATION_ERROR');
    expect(error.message).toContain('event_processing');
    expect(error.message).toContain('"later"');
    expect(error.message).toMatch(/sync.*async/);
  });

  it('IncorrectUsageError: INCORRECT_USAGE, saying what to do instead', async () => {
    const { domain, Member } = members();
    const error = await caught(() => domain.repository(Member));
    expect(error).toBeInstanceOf(IncorrectUsageError);
    expect(error.code).toBe('INCORRECT_USAGE');
    expect(error.message).toContain('call `await domain.init()`');
    await domain.init();
    const wrong = await caught(() => domain.process({} as never));
    expect(wrong.message).toContain('domain.process() takes a command, received Object');
    await domain.close();
  });
});
