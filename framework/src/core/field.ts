import { compositeFields } from './composite-fields.js';
import { scalarFields } from './field-types.js';

/**
 * Field helpers: each returns a declaration whose options shape the inferred type.
 *
 * @example
 * const fields = {
 *   title: field.string({ required: true, maxLength: 200 }),             // string
 *   pages: field.integer({ min: 1 }),                                    // number | undefined
 *   status: field.choice(['draft', 'published'], { default: 'draft' }),  // 'draft' | 'published'
 *   price: field.valueObject(Money),                                     // Money | undefined
 *   items: field.hasMany(OrderItem),                                     // OrderItem[]
 * };
 */
export const field = { ...scalarFields, ...compositeFields };
