import { Book, domain } from './domain.js';

/** The books Bookshelf starts with. */
export const starterCatalogue = [
  { title: 'Dune', author: 'Frank Herbert', isbn: '9780441172719' },
  { title: 'The Left Hand of Darkness', author: 'Ursula K. Le Guin', isbn: '9780441478125' },
  { title: 'Domain-Driven Design', author: 'Eric Evans', isbn: '9780321125217' },
];

/** Adds the starter books and returns them as stored. */
export async function stockShelves(): Promise<Book[]> {
  const books = domain.repository(Book);
  return Promise.all(starterCatalogue.map((data) => books.add(new Book(data))));
}
