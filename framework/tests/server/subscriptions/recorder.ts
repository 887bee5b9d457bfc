/**
 * The Bookshelf domain the stream-subscription tests read from, plus `Recorder`, an event handler
 * that notes every book it sees and rejects "Poison"; and books published as the outbox would.
 */
import { categoryOf } from '../../../src/index.js';
import type { DomainConfigInput } from '../../../src/index.js';
import type { Broker } from '../../../src/ports/broker.js';
import { createBookshelf, ready } from '../../fixtures/bookshelf.js';

export const BOOKS = 'bookshelf::book';
export const dune = { title: 'Dune', author: 'Frank Herbert', isbn: '9780441172719', price: 9.99 };

/** Bookshelf with async events (over `config`) and `Recorder`, initialized; close its domain. */
export async function recorderBookshelf(config: DomainConfigInput = {}) {
  const m = createBookshelf({ event_processing: 'async', ...config });
  const seen: string[] = [];
  m.domain.eventHandler('Recorder').on(m.BookAdded, async (event) => {
    if (event.title === 'Poison') throw new Error('Recorder cannot stomach this book');
    seen.push(event.bookId);
  });
  await ready(m.domain);
  return { ...m, seen };
}

export type RecorderBookshelf = Awaited<ReturnType<typeof recorderBookshelf>>;

/** Adds books, then publishes their events as the outbox processor does: to their category. */
export async function publishBooks(
  m: RecorderBookshelf,
  titles: string[],
  broker: Broker = m.domain.broker,
): Promise<string[]> {
  const ids: string[] = [];
  for (const title of titles)
    ids.push(await m.domain.process<string>(new m.AddBook({ ...dune, title })));
  const events = await m.domain.eventStore.readCategory(BOOKS);
  for (const event of events.filter((e) => ids.includes(String(e.data['bookId'])))) {
    await broker.publish(categoryOf(event.stream), event);
  }
  return ids;
}
