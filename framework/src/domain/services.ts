import { checkInvariants } from '../core/element.js';

// `any` lets a record of methods with different parameter lists satisfy one constraint.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyMethod = (...args: any[]) => unknown;

/** An application service as callers see it: every method runs in a unit of work and is async. */
export type ApplicationService<M extends Record<string, AnyMethod>> = {
  readonly [K in keyof M]: (...args: Parameters<M[K]>) => Promise<Awaited<ReturnType<M[K]>>>;
};

/** Wraps each method so that it runs in a unit of work of its own (or joins the open one). */
export function applicationService<M extends Record<string, AnyMethod>>(
  methods: M,
  unitOfWork: <R>(fn: () => Promise<R>) => Promise<R>,
): ApplicationService<M> {
  const wrapped = Object.fromEntries(
    Object.entries(methods).map(([name, method]) => [
      name,
      (...args: unknown[]) => unitOfWork(async () => method(...args)),
    ]),
  );
  return Object.freeze(wrapped) as ApplicationService<M>;
}

/** How a domain service is declared: its operation and the rules around it. */
export interface DomainServiceSpec<A extends unknown[], R> {
  /** Rules over the arguments that must hold before the operation runs. */
  preconditions?: Record<string, (...args: A) => void>;
  /** Rules over the arguments that must hold after the operation ran. */
  invariants?: Record<string, (...args: A) => void>;
  /** The operation: logic that spans several aggregates. */
  run: (...args: A) => R;
}

/** Wraps a domain service's operation with its preconditions and invariants. */
export function domainService<A extends unknown[], R>(
  name: string,
  spec: DomainServiceSpec<A, R>,
): (...args: A) => R {
  const asInvariants = (rules: Record<string, (...args: A) => void> = {}) =>
    Object.fromEntries(
      Object.entries(rules).map(([rule, check]) => [rule, (args: A) => check(...args)]),
    );
  const pre = asInvariants(spec.preconditions);
  const post = asInvariants(spec.invariants);
  return (...args: A) => {
    checkInvariants(name, pre, args);
    const result = spec.run(...args);
    checkInvariants(name, post, args);
    return result;
  };
}
