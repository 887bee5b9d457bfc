/**
 * Runs Bookshelf on the embedded defaults (memory database, no services) and prints what it did.
 * The app grows with the tutorial; for now it stocks the shelves and reads them back.
 */
import { stockShelves } from './catalogue.js';
import { Book, domain } from './domain.js';

await domain.init();
console.log(
  `Bookshelf is running on the embedded defaults (domain "${domain.name}", memory database).`,
);

const stocked = await stockShelves();
for (const book of stocked) {
  const stored = await domain.repository(Book).get(book.id);
  console.log(
    `  stored "${stored.title}" by ${stored.author} (ISBN ${stored.isbn}, version ${stored._version})`,
  );
}
console.log(
  `${await domain.repository(Book).count()} books on the shelves. Next: the tutorial, docs/tutorial/.`,
);
await domain.close();
