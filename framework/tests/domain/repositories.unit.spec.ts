/** Repositories bound to the domain's processor: custom repository classes and writes alone. */
import { describe, expect, it } from 'vitest';
import { Domain, field, IncorrectUsageError } from '../../src/index.js';
import { freshDomain } from '../../src/testing/index.js';

function club() {
  const domain = new Domain({ name: 'club', config: {} });
  const Member = domain.aggregate('Member', { name: field.string({ required: true }) });
  class MemberRepository extends domain.repositoryFor(Member) {
    named(name: string) {
      return this.findOne({ where: { name } });
    }
  }
  const committed: number[] = [];
  domain.observe((notice) => committed.push(notice.events.length));
  return { domain, Member, MemberRepository, committed };
}

describe('repositories', () => {
  const model = freshDomain(() => club());

  it('makes a custom repository with domain.repository(), sharing storage with the plain one', async () => {
    const { domain, Member, MemberRepository } = model();
    await domain.repository(MemberRepository).add(new Member({ name: 'ada' }));
    expect((await domain.repository(Member).findOne())?.name).toBe('ada');
    expect(await domain.repository(MemberRepository).named('ada')).toMatchObject({ name: 'ada' });
  });

  it('refuses a custom repository made with new, saying how to get one', () => {
    const { MemberRepository } = model();
    expect(() => new MemberRepository()).toThrow(IncorrectUsageError);
    expect(() => new MemberRepository()).toThrow(
      'a repository of Member is made by domain.repository(MemberRepository), not with new',
    );
  });

  it('commits a write outside any unit of work in a unit of its own', async () => {
    const { domain, Member, committed } = model();
    const ada = await domain.repository(Member).add(new Member({ name: 'ada' }));
    expect(await domain.repository(Member).remove(ada)).toBe(true);
    expect(await domain.repository(Member).remove(ada)).toBe(false);
    expect(await domain.repository(Member).count()).toBe(0);
    expect(committed).toEqual([]); // no events were raised, so observers heard nothing
  });
});
