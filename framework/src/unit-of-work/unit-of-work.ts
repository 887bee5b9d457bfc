import { AggregateRoot, markStored, pullEvents } from '../core/aggregate.js';
import { storedValues } from '../core/entity.js';
import { failpoint } from '../internal/failpoints.js';
import { checkUnique } from './unique.js';
import type { IdentifiedElement } from '../core/entity.js';
import { streams } from '../core/envelope.js';
import type { Envelope } from '../core/envelope.js';
import { IncorrectUsageError } from '../core/errors.js';
import { envelopeOf } from '../core/message.js';
import type { DatabaseProvider, DatabaseSession } from '../ports/database.js';
import type { EventStore, StreamAppend } from '../ports/event-store.js';
import type { OutboxStore } from '../ports/outbox.js';

/** The adapters a unit of work writes to. */
export interface UnitOfWorkPorts {
  readonly database: DatabaseProvider;
  readonly eventStore: EventStore;
  /** With `enable_outbox`: one outbox row per event, in the same transaction, for this broker. */
  readonly outbox?: { readonly store: OutboxStore; readonly broker: string } | undefined;
}

/** An aggregate or projection to write on commit. */
export interface StagedRoot {
  /** The record kind, e.g. `bookshelf.book`. */
  readonly kind: string;
  readonly element: IdentifiedElement;
  /** The version it was loaded at (0 when new). */
  readonly expectedVersion: number;
  /** For aggregates: the stream category its events go to. */
  readonly category?: string;
  /** Called with the stored version once the commit succeeded. */
  readonly stored?: (version: number) => void;
}

type State = 'open' | 'committed' | 'rolled back';

/**
 * One transaction boundary: an identity map of what was loaded, the changes to write, and the
 * events to append. Nothing is visible to anyone else until `commit()`; a failure anywhere rolls
 * everything back. Units are created by the domain: around each handler call, or explicitly
 * with `domain.unitOfWork()`.
 */
export class UnitOfWork {
  readonly #ports: UnitOfWorkPorts;
  readonly #cause: Envelope | undefined;
  readonly #identityMap = new Map<string, IdentifiedElement>();
  readonly #staged = new Map<string, StagedRoot>();
  readonly #removed = new Map<string, { kind: string; id: string }>();
  #session: Promise<DatabaseSession> | undefined;
  #state: State = 'open';

  constructor(ports: UnitOfWorkPorts, cause?: Envelope) {
    this.#ports = ports;
    this.#cause = cause;
  }

  /** The database transaction, opened on first use. */
  session(): Promise<DatabaseSession> {
    this.#requireOpen('read or write');
    this.#session ??= this.#ports.database.begin();
    return this.#session;
  }

  /** An element already loaded in this unit, so that one id always means one object. */
  loaded(kind: string, id: string): IdentifiedElement | undefined {
    return this.#identityMap.get(key(kind, id));
  }

  /** Remembers a loaded element in the identity map. */
  remember(kind: string, element: IdentifiedElement): void {
    this.#identityMap.set(key(kind, element.id), element);
  }

  /** Marks an aggregate or projection to be written on commit. */
  stage(root: StagedRoot): void {
    this.#requireOpen('stage changes');
    const k = key(root.kind, root.element.id);
    this.#removed.delete(k);
    this.#staged.set(k, root);
    this.#identityMap.set(k, root.element);
  }

  /** Marks an aggregate or projection to be removed on commit. */
  unstage(kind: string, id: string): void {
    this.#requireOpen('remove');
    const k = key(kind, id);
    this.#staged.delete(k);
    this.#identityMap.delete(k);
    this.#removed.set(k, { kind, id });
  }

  /** Writes everything in one transaction and resolves with the events it stored. */
  async commit(): Promise<Envelope[]> {
    this.#requireOpen('commit');
    if (!this.#session && this.#staged.size === 0 && this.#removed.size === 0) {
      this.#state = 'committed';
      return [];
    }
    const session = await this.session();
    try {
      const { events, afterCommit } = await this.#persistRoots(session);
      await this.#persistRemovals(session);
      await this.#appendEvents(events, session);
      await this.#writeOutbox(events, session);
      failpoint('command.before_commit');
      await session.commit();
      this.#state = 'committed';
      afterCommit.forEach((step) => step());
      return events;
    } catch (error) {
      await this.rollback();
      throw error;
    }
  }

  /** Discards every change; nothing of this unit remains visible. */
  async rollback(): Promise<void> {
    if (this.#state !== 'open') return;
    this.#state = 'rolled back';
    this.#staged.clear();
    this.#identityMap.clear();
    await (await this.#session)?.rollback();
  }

  async #persistRoots(session: DatabaseSession) {
    const events: Envelope[] = [];
    const afterCommit: (() => void)[] = [];
    for (const root of this.#staged.values()) {
      root.element.checkRules();
      const values = storedValues(root.element);
      const records = session.records(root.kind);
      await checkUnique(records, root.element, values);
      const version = await records.save(root.element.id, values, root.expectedVersion);
      if (root.element instanceof AggregateRoot && root.category) {
        events.push(
          ...this.#envelopes(
            root.element,
            streams.instance(root.category, root.element.id),
            version,
          ),
        );
        const aggregate = root.element;
        afterCommit.push(() => markStored(aggregate, version));
      }
      if (root.stored) afterCommit.push(() => root.stored?.(version));
    }
    return { events, afterCommit };
  }

  #envelopes(aggregate: AggregateRoot, stream: string, version: number): Envelope[] {
    return pullEvents(aggregate).map((event) =>
      envelopeOf(event, stream, { cause: this.#cause, aggregateVersion: version }),
    );
  }

  async #persistRemovals(session: DatabaseSession): Promise<void> {
    for (const { kind, id } of this.#removed.values()) await session.records(kind).remove(id);
  }

  async #appendEvents(events: Envelope[], session: DatabaseSession): Promise<void> {
    if (events.length === 0) return;
    const byStream = new Map<string, Envelope[]>();
    for (const event of events)
      byStream.set(event.stream, [...(byStream.get(event.stream) ?? []), event]);
    const appends: StreamAppend[] = [...byStream].map(([stream, messages]) => ({
      stream,
      messages,
    }));
    await this.#ports.eventStore.appendBatch(appends, { transaction: session.link });
  }

  async #writeOutbox(events: Envelope[], session: DatabaseSession): Promise<void> {
    const outbox = this.#ports.outbox;
    if (!outbox || events.length === 0) return;
    await outbox.store.enqueue(events, { broker: outbox.broker, transaction: session.link });
  }

  #requireOpen(action: string): void {
    if (this.#state !== 'open') {
      throw new IncorrectUsageError(
        `cannot ${action}: this unit of work is already ${this.#state}; start a new one with domain.unitOfWork().`,
      );
    }
  }
}

function key(kind: string, id: string): string {
  return `${kind}\u0000${id}`;
}
