import { Domain, field } from 'protean-ts';

/** The Bookshelf domain: an online bookstore and lending library. */
export const domain = new Domain({ name: 'bookshelf' });

export class Book extends domain.aggregate('Book', {
  title: field.string({ required: true, maxLength: 200 }),
  author: field.string({ required: true }),
  isbn: field.string({ maxLength: 13 }),
}) {}
