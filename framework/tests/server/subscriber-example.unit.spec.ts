/** The server guide's subscriber example: titles a publisher announces become books in the catalogue. */
import { afterEach, expect, it } from 'vitest';
import { Domain, field } from '../../src/index.js';
import { Engine } from '../../src/server/index.js';

const domain = new Domain({
  name: 'bookshelf',
  config: { server: { stream_subscription: { retry_delay_seconds: 0, max_retries: 2 } } },
});

const Book = domain.aggregate('Book', {
  title: field.string({ required: true }),
  author: field.string({ required: true }),
});

const AddBook = domain.command(
  'AddBook',
  { title: field.string({ required: true }), author: field.string({ required: true }) },
  { partOf: Book },
);

domain.handle(AddBook, async ({ title, author }, { repository }) => {
  await repository(Book).add(new Book({ title, author }));
});

// #region subscriber
domain.subscriber('NewTitles', { stream: 'publisher-titles' }, async (payload, { process }) => {
  // Only a type: AddBook checks the values, so a payload that breaks its rules fails the delivery.
  const { title, author } = payload as { title: string; author: string };
  await process(new AddBook({ title, author }));
});
// #endregion subscriber

afterEach(async () => {
  await domain.close();
});

it('turns what a publisher announces into AddBook commands, and dead-letters what is not a book', async () => {
  await domain.init();
  await domain.broker.publish('publisher-titles', { title: 'Dune', author: 'Frank Herbert' });
  await domain.broker.publish('publisher-titles', { title: 'Untitled' });

  await expect(new Engine(domain, { testMode: true }).run()).resolves.toBe(0);

  expect(await domain.repository(Book).count()).toBe(1);
  expect(await domain.broker.streamLength('publisher-titles:dlq')).toBe(1);
});
