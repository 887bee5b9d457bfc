import { declareElement } from './element.js';
import { IdentifiedElement, identifiedDeclaration, identityMeta } from './entity.js';
import type { IdentityMeta } from './entity.js';
import { IncorrectUsageError } from './errors.js';
import type { Fields, InputOf, ValuesOf } from './fields.js';

/**
 * A read model: data shaped for a query, kept up to date by projectors from events. Declared with
 * `domain.projection()`; read with `domain.view()`.
 */
export abstract class Projection extends IdentifiedElement {}

/** An instance of a projection declared with fields `F`. */
export type ProjectionOf<F extends Fields> = Projection & ValuesOf<F>;

/** The class `domain.projection()` returns. */
export interface ProjectionClass<F extends Fields = Fields> {
  new (input: InputOf<F>): ProjectionOf<F>;
  readonly meta: IdentityMeta<F>;
}

/** A class of some projection, as accepted by `domain.view()`. */
export type AnyProjectionClass<T extends Projection = Projection> = (abstract new (
  input: never,
) => T) & {
  readonly meta: IdentityMeta;
};

/** Declares a projection class; it must name its identity with `identifier: true`. */
export function defineProjection<F extends Fields>(
  domain: string,
  name: string,
  fields: F,
): ProjectionClass<F> {
  const meta = identityMeta({
    kind: 'projection',
    name,
    domain,
    fields,
    newId: () => {
      throw new IncorrectUsageError(
        `${name} needs a value for its identifier field; projections never make one up.`,
      );
    },
  });
  if (!meta.identityField) {
    throw new IncorrectUsageError(
      `Projection ${name} has no identifier: mark the field that identifies a row with { identifier: true }, e.g. bookId: field.identifier({ identifier: true }).`,
    );
  }
  return declareElement(identifiedDeclaration(Projection, meta)) as unknown as ProjectionClass<F>;
}
