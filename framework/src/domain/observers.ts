import type { Envelope } from '../core/envelope.js';

/** What `domain.observe()` listeners are told. */
export type DomainNotice = { type: 'events.committed'; events: readonly Envelope[] };

/** The listeners of `domain.observe()`; costs nothing while there are none. */
export class Observers {
  readonly #listeners = new Set<(notice: DomainNotice) => void>();

  /** Adds `listener`; returns a function that removes it. */
  add(listener: (notice: DomainNotice) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  notify(notice: DomainNotice): void {
    for (const listener of this.#listeners) listener(notice);
  }
}
