import type { IdentifiedElement } from '../core/entity.js';
import { ValidationError } from '../core/errors.js';
import type { FieldErrors } from '../core/errors.js';
import type { RecordStore } from '../ports/database.js';

/**
 * Checks the fields declared `unique: true` against what is stored (and staged in the same
 * session). A SQL adapter also backs this with a unique index; the check gives the same clear
 * `ValidationError` on every adapter.
 */
export async function checkUnique(
  records: RecordStore,
  element: IdentifiedElement,
  values: Record<string, unknown>,
): Promise<void> {
  const meta = (element.constructor as typeof IdentifiedElement).meta;
  const errors: FieldErrors = {};
  for (const [name, field] of Object.entries(meta.fields)) {
    const value = values[name];
    if (!field.options.unique || value === undefined || value === null) continue;
    const found = await records.find({ where: { [name]: value }, limit: 2 });
    const clash = found.find((record) => record.id !== element.id);
    if (clash) {
      errors[name] = [
        `must be unique: ${JSON.stringify(value)} is already used by ${meta.name} ${clash.id}`,
      ];
    }
  }
  if (Object.keys(errors).length > 0) throw new ValidationError(meta.name, errors);
}
