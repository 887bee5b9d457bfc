import { AsyncLocalStorage } from 'node:async_hooks';
import type { Envelope } from '../core/envelope.js';
import type { UnitOfWork } from './unit-of-work.js';

/** What is in progress on the current async path: a unit of work, the message being handled. */
export interface ProcessingContext {
  readonly unitOfWork?: UnitOfWork;
  /** The command or event being handled; it becomes the cause of messages created now. */
  readonly message?: Envelope;
}

const storage = new AsyncLocalStorage<ProcessingContext>();

/** The context of the current async path (empty outside any handler or unit of work). */
export function currentContext(): ProcessingContext {
  return storage.getStore() ?? {};
}

/** Runs `fn` with `changes` added to the current context. */
export function withContext<T>(changes: ProcessingContext, fn: () => Promise<T>): Promise<T> {
  return storage.run({ ...currentContext(), ...changes }, fn);
}
