/**
 * Values for the fields a generated test must fill in: a test that stores an `Order` or sends a
 * `ShipOrder` needs a value for every required field, whatever the user declared there.
 */
import { CommandFailure, ExitCode } from '../exit.js';
import type { Declaration, FieldInfo } from './scan.js';
import { quote } from './templates/text.js';

/** A field whose value the test already has in a variable: `{ orderId: 'order.id' }`. */
export type KnownValues = Readonly<Record<string, string>>;

/**
 * The source of an object literal with a value for each required field of `element` (and each
 * field named in `known`, with the expression given there): `{ orderId: order.id, title: 'A title' }`.
 *
 * @throws CommandFailure (exit code 2) for a required field no sample can be written for.
 */
export function sampleObject(element: Declaration, known: KnownValues = {}): string {
  const entries: string[] = [];
  for (const field of element.fields) {
    const value = known[field.name] ?? (field.needed ? sampleValue(element, field) : undefined);
    if (value !== undefined) entries.push(value === field.name ? value : `${field.name}: ${value}`);
  }
  return entries.length > 0 ? `{ ${entries.join(', ')} }` : '{}';
}

function sampleValue(element: Declaration, field: FieldInfo): string {
  switch (field.factory) {
    case 'string':
    case 'text':
      return quote(`A ${words(field.name)}`);
    case 'identifier':
    case 'reference':
      return quote(`${field.name}-1`);
    case 'integer':
    case 'number':
      return '1';
    case 'boolean':
      return 'true';
    case 'date':
    case 'datetime':
      return "new Date('2025-01-01T00:00:00.000Z')";
    case 'choice':
      if (field.choices[0] !== undefined) return quote(field.choices[0]);
      break;
    case 'list':
      return '[]';
    case 'dict':
    case 'json':
      return '{}';
  }
  throw new CommandFailure(
    `${element.name}.${field.name} is required and declared with field.${field.factory}, for ` +
      'which protean add cannot write a value in the generated test; give it a default, or write ' +
      'this element by hand',
    ExitCode.usage,
  );
}

/** `dueDate` -> `due date`. */
function words(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
}
