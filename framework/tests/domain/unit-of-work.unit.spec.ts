import { describe, expect, it } from 'vitest';
import { Domain, field, IncorrectUsageError, InvariantViolation } from '../../src/index.js';
import { freshDomain } from '../../src/testing/index.js';

// #region library
function library(config: ConstructorParameters<typeof Domain>[0]['config'] = {}) {
  const domain = new Domain({ name: 'library', config });
  class Member extends domain.aggregate('Member', {
    name: field.string({ required: true }),
    loans: field.integer({ default: 0, max: 3 }),
  }) {
    borrow() {
      this.loans += 1;
      this.raise(Borrowed, { memberId: this.id });
    }
  }
  const Borrowed = domain.event(
    'Borrowed',
    { memberId: field.identifier({ required: true }) },
    { partOf: Member },
  );
  const Join = domain.command(
    'Join',
    { name: field.string({ required: true }) },
    { partOf: Member },
  );
  const seen: string[] = [];
  domain.handle(Join, async (command, { repository }) => {
    const member = new Member({ name: command.name });
    member.borrow();
    await repository(Member).add(member);
    seen.push(
      `handler sees ${await domain.eventStore.readCategory('library::member').then((e) => e.length)} stored events`,
    );
    return member.id;
  });
  domain.eventHandler('LoanLog').on(Borrowed, async (event) => {
    seen.push(`reacted to ${event.memberId}`);
  });
  return { domain, Member, Borrowed, Join, seen };
}
// #endregion library

describe('units of work', () => {
  const lib = freshDomain(() => library());

  it('dispatches events only after the unit committed', async () => {
    // #region dispatch-after-commit
    const { domain, Join, seen } = lib();
    const id = await domain.process<string>(new Join({ name: 'ada' }));
    expect(seen).toEqual(['handler sees 0 stored events', `reacted to ${id}`]);
    expect(await domain.eventStore.readCategory('library::member')).toHaveLength(1);
    // #endregion dispatch-after-commit
  });

  it('hands out one object per id inside a unit (identity map)', async () => {
    // #region identity-map
    const { domain, Member } = lib();
    const ada = await domain.repository(Member).add(new Member({ name: 'ada' }));
    await domain.unitOfWork(async () => {
      const first = await domain.repository(Member).get(ada.id);
      const second = await domain.repository(Member).get(ada.id);
      expect(first).toBe(second);
      const [found] = await domain.repository(Member).find({ where: { name: 'ada' } });
      expect(found).toBe(first);
    });
    // #endregion identity-map
  });

  it('lets nested units join the outer one, which commits or rolls back everything', async () => {
    // #region nested-units
    const { domain, Member } = lib();
    const attempt = domain.unitOfWork(async () => {
      await domain.repository(Member).add(new Member({ name: 'ada' }));
      await domain.unitOfWork(async () => {
        await domain.repository(Member).add(new Member({ name: 'bob' }));
      });
      expect(await domain.repository(Member).count()).toBe(0);
      throw new Error('changed my mind');
    });
    await expect(attempt).rejects.toThrow('changed my mind');
    expect(await domain.repository(Member).count()).toBe(0);
    expect(await domain.eventStore.readCategory('library::member')).toEqual([]);
    // #endregion nested-units
  });

  it('checks field rules on assignment and stores nothing of a unit that broke one', async () => {
    const { domain, Member } = lib();
    const member = await domain.repository(Member).add(new Member({ name: 'ada', loans: 3 }));
    await expect(
      domain.unitOfWork(async () => {
        const loaded = await domain.repository(Member).get(member.id);
        loaded.name = 'ada lovelace';
        await domain.repository(Member).add(loaded);
        loaded.borrow();
      }),
    ).rejects.toThrow(/loans must be <= 3/);
    expect((await domain.repository(Member).get(member.id)).toJSON()).toMatchObject({
      name: 'ada',
      loans: 3,
    });
  });

  it('checks invariants when the unit commits, after the last change', async () => {
    const domain = new Domain({ name: 'shop', config: {} });
    const Cart = domain.aggregate(
      'Cart',
      { items: field.integer({ default: 0 }), paid: field.boolean({ default: false }) },
      {
        invariants: {
          paidCartsHaveItems: (c) => ensure(!c.paid || c.items > 0, 'a paid cart must have items'),
        },
      },
    );
    await domain.init();
    const cart = await domain.repository(Cart).add(new Cart({ items: 1 }));
    await expect(
      domain.unitOfWork(async () => {
        const loaded = await domain.repository(Cart).get(cart.id);
        await domain.repository(Cart).add(loaded);
        loaded.paid = true;
        loaded.items = 0;
      }),
    ).rejects.toThrow('Cart breaks its rules: paidCartsHaveItems: a paid cart must have items');
    expect((await domain.repository(Cart).get(cart.id)).toJSON()).toMatchObject({
      items: 1,
      paid: false,
    });
    await domain.close();
  });

  it('refuses work that outlives its unit', async () => {
    // #region outlives-unit
    const { domain, Member } = lib();
    let late: Promise<unknown> | undefined;
    await domain.unitOfWork(async () => {
      late = new Promise((resolve) => setTimeout(resolve, 5)).then(() =>
        domain.repository(Member).add(new Member({ name: 'late' })),
      );
    });
    const error = await late!.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IncorrectUsageError);
    expect((error as Error).message).toContain(
      'this unit of work is already committed; start a new one with domain.unitOfWork()',
    );
    expect(await domain.repository(Member).count()).toBe(0);
    // #endregion outlives-unit
  });

  it('runs every method of an application service in its own unit', async () => {
    // #region application-service
    const { domain, Member } = lib();
    const loans = domain.applicationService('Loans', {
      async lendTwice(memberId: string) {
        const member = await domain.repository(Member).get(memberId);
        member.borrow();
        member.borrow();
        await domain.repository(Member).add(member);
        return member.loans;
      },
    });
    const ada = await domain.repository(Member).add(new Member({ name: 'ada', loans: 2 }));
    await expect(loans.lendTwice(ada.id)).rejects.toThrow(/loans must be <= 3/);
    expect((await domain.repository(Member).get(ada.id)).loans).toBe(2);
    const bob = await domain.repository(Member).add(new Member({ name: 'bob' }));
    expect(await loans.lendTwice(bob.id)).toBe(2);
    // #endregion application-service
  });
});

describe('async processing', () => {
  it('stores events but leaves their handlers to the engine when event_processing is async', async () => {
    // #region async-events
    const { domain, Join, seen } = library({ event_processing: 'async' });
    await domain.init();
    await domain.process(new Join({ name: 'ada' }));
    expect(seen).toEqual(['handler sees 0 stored events']);
    const [event] = await domain.eventStore.readCategory('library::member');
    expect(event?.type).toBe('Library.Borrowed.v1');
    await domain.handleMessage(event!);
    expect(seen).toHaveLength(2);
    // #endregion async-events
    await domain.close();
  });

  it('stores the command and returns its id when command_processing is async', async () => {
    // #region async-commands
    const { domain, Join, Member, seen } = library({ command_processing: 'async' });
    await domain.init();
    const id = await domain.process<string>(new Join({ name: 'ada' }));
    expect(seen).toEqual([]);
    const [stored] = await domain.eventStore.readCategory('library::member:command');
    expect(stored).toMatchObject({
      id,
      type: 'Library.Join.v1',
      kind: 'COMMAND',
      data: { name: 'ada' },
    });
    await domain.handleMessage(stored!);
    expect(await domain.repository(Member).count()).toBe(1);
    // #endregion async-commands
    await domain.close();
  });
});

describe('domain services and custom repositories', () => {
  it('checks a domain service before and after its operation', () => {
    // #region domain-service
    const domain = new Domain({ name: 'bank', config: {} });
    type Account = { balance: number };
    const transfer = domain.domainService('Transfer', {
      preconditions: {
        funded: (from: Account, _to: Account, amount: number) =>
          ensure(from.balance >= amount, 'not enough money'),
      },
      invariants: {
        nothingCreated: (from: Account, to: Account) =>
          ensure(from.balance + to.balance === 100, 'money appeared'),
      },
      run(from: Account, to: Account, amount: number) {
        from.balance -= amount;
        to.balance += amount;
      },
    });
    const a = { balance: 60 };
    const b = { balance: 40 };
    transfer(a, b, 10);
    expect([a.balance, b.balance]).toEqual([50, 50]);
    expect(() => transfer(a, b, 80)).toThrow('Transfer breaks its rules: funded: not enough money');
    expect(() => domain.domainService('Transfer', { run: () => 0 })).toThrow(IncorrectUsageError);
    // #endregion domain-service
  });

  it('serves custom queries from a repository subclass', async () => {
    // #region custom-repository
    const { domain, Member } = library();
    class MemberRepository extends domain.repositoryFor(Member) {
      heavyBorrowers() {
        return this.find({ where: { loans: { gte: 2 } }, orderBy: { name: 'asc' } });
      }
    }
    await domain.init();
    await domain.repository(Member).add(new Member({ name: 'bob', loans: 3 }));
    await domain.repository(Member).add(new Member({ name: 'ada', loans: 2 }));
    await domain.repository(Member).add(new Member({ name: 'cy' }));
    const found = await domain.repository(MemberRepository).heavyBorrowers();
    expect(found.map((m) => m.name)).toEqual(['ada', 'bob']);
    expect(domain.repository(MemberRepository)).toBe(domain.repository(MemberRepository));
    expect(await domain.repository(MemberRepository).count()).toBe(3);
    await expect(domain.repository(Member).find({ where: { age: 3 } })).rejects.toThrow(
      'invalid query on Member: where: Member has no field "age"',
    );
    // #endregion custom-repository
    await domain.close();
  });
});

function ensure(condition: boolean, message: string): void {
  if (!condition) throw new InvariantViolation(message);
}
