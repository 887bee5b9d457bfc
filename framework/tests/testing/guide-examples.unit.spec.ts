/**
 * Examples for the testing guide that need events: an order raises OrderConfirmed, and a book
 * raises BookAdded, which a projector turns into a row of the catalogue.
 */
import { AssertionError } from 'node:assert';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Domain, field } from '../../src/index.js';
import { given } from '../../src/testing/index.js';

// #region model
const domain = new Domain({ name: 'bookshelf', config: {} });

class Order extends domain.aggregate('Order', {
  customer: field.string({ required: true }),
  copies: field.integer({ default: 0 }),
  status: field.choice(['pending', 'confirmed'], { default: 'pending' }),
}) {
  confirm(): void {
    this.status = 'confirmed';
    this.raise(OrderConfirmed, { orderId: this.id, copies: this.copies });
  }
}

const OrderConfirmed = domain.event(
  'OrderConfirmed',
  { orderId: field.identifier({ required: true }), copies: field.integer({ required: true }) },
  { partOf: Order },
);

class Book extends domain.aggregate('Book', { title: field.string({ required: true }) }) {
  static add(title: string): Book {
    const book = new Book({ title });
    book.raise(BookAdded, { bookId: book.id, title });
    return book;
  }
}

// #region book-added
const BookAdded = domain.event(
  'BookAdded',
  { bookId: field.identifier({ required: true }), title: field.string({ required: true }) },
  { partOf: Book },
);
// #endregion book-added

const AddBook = domain.command(
  'AddBook',
  { title: field.string({ required: true }) },
  { partOf: Book },
);

domain.handle(AddBook, async ({ title }, { repository }) => {
  const book = Book.add(title);
  await repository(Book).add(book);
  return book.id;
});

// #region catalogue
const Catalogue = domain.projection('Catalogue', {
  bookId: field.identifier({ identifier: true }),
  title: field.string({ required: true }),
});
// #endregion catalogue

// #region catalogue-projector
domain
  .projector('CatalogueProjector', { projections: [Catalogue] })
  .on(BookAdded, async ({ bookId, title }, { repository }) => {
    await repository(Catalogue).add(new Catalogue({ bookId, title }));
  });
// #endregion catalogue-projector
// #endregion model

beforeEach(async () => {
  await domain.init();
});

afterEach(async () => {
  await domain.close();
});

describe('given/when/then with events', () => {
  it('counts only the events raised inside when', () => {
    // #region earlier-events
    const order = new Order({ customer: 'Ada Lovelace', copies: 2 });
    order.confirm(); // raises OrderConfirmed before the scenario starts

    const outcome = given(order).when((o) => o.copies);

    expect(outcome.result).toBe(2);
    expect(() => outcome.thenRaised(OrderConfirmed)).toThrow(/raised: none/);
    // #endregion earlier-events
  });

  it('says what happened instead when an expectation does not hold', () => {
    // #region assertion-message
    const outcome = given(new Order({ customer: 'Ada Lovelace' })).when((o) => o.confirm());

    expect(() => outcome.thenRaised(BookAdded)).toThrow(AssertionError);
    expect(() => outcome.thenRaised(BookAdded)).toThrow(
      'expected BookAdded to be raised; raised: OrderConfirmed',
    );
    // #endregion assertion-message
  });

  it('starts a command flow from earlier events', async () => {
    // #region given-events
    const outcome = await given(domain)
      .events([new BookAdded({ bookId: 'b-1', title: 'Emma' }), 'b-1'])
      .when(new AddBook({ title: 'Dune' }));

    outcome.thenRaised(BookAdded, { title: 'Dune' });
    expect(await domain.view(Catalogue).count()).toBe(2);
    expect((await domain.view(Catalogue).get('b-1')).title).toBe('Emma');
    expect(await domain.repository(Book).getOrNull('b-1')).toBeNull();
    // #endregion given-events
  });
});
