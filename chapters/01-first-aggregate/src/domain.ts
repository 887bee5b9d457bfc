import { Domain, field } from 'protean-ts';

// #region domain
export const domain = new Domain({ name: 'bookshelf' });
// #endregion domain

// #region book
export class Book extends domain.aggregate('Book', {
  title: field.string({ required: true, maxLength: 200 }),
  author: field.string({ required: true }),
  isbn: field.string({ maxLength: 13 }),
}) {}
// #endregion book
