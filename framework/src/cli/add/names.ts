/**
 * Element names as `protean add` reads them: `OrderItem`, `orderItem`, `order-item` and
 * `order_item` all name the same element, which the generated code spells in three ways.
 */
import { CommandFailure, ExitCode } from '../exit.js';

/** One name in the three spellings generated code uses. */
export interface ElementName {
  /** Classes, elements and their type names: `OrderItem`. */
  readonly pascal: string;
  /** Variables and fields: `orderItem` (`orderItemId`). */
  readonly camel: string;
  /** Files and folders: `order-item` (`src/order-item/order-item.ts`). */
  readonly kebab: string;
}

const SPELLING = /^[A-Za-z][A-Za-z0-9]*(?:[-_][A-Za-z0-9]+)*$/;

/** Words that cannot name a variable, which the camel-case spelling becomes. */
const RESERVED = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends ' +
    'false finally for function if import in instanceof new null return super switch this throw ' +
    'true try typeof var void while with yield let static implements interface package private ' +
    'protected public await arguments eval undefined domain field'
  ).split(' '),
);

/**
 * Reads `input` as an element name.
 *
 * `order-item`, `orderItem` and `OrderItem` all read as `{ pascal: 'OrderItem', camel: 'orderItem',
 * kebab: 'order-item' }`.
 *
 * @throws CommandFailure (exit code 2) saying what is wrong and how a good name looks.
 */
export function elementName(input: string, what = 'name'): ElementName {
  const text = input.trim();
  if (!SPELLING.test(text)) {
    throw new CommandFailure(
      `${JSON.stringify(input)} cannot be the ${what}: use letters and digits, starting with a ` +
        'letter, in PascalCase, camelCase or kebab-case (OrderItem, orderItem or order-item)',
      ExitCode.usage,
    );
  }
  const words = splitWords(text);
  const pascal = /[-_]/.test(text)
    ? words.map(capitalize).join('')
    : text.charAt(0).toUpperCase() + text.slice(1);
  const camel = words.map((word, i) => (i === 0 ? word : capitalize(word))).join('');
  if (RESERVED.has(camel)) {
    throw new CommandFailure(
      `${JSON.stringify(input)} cannot be the ${what}: the generated code would use \`${camel}\` ` +
        `as a variable, which is a reserved word; choose another name, such as ${pascal}Item`,
      ExitCode.usage,
    );
  }
  return { pascal, camel, kebab: words.join('-') };
}

/** `HTTPRequest` -> `http`, `request`; `order_item` -> `order`, `item`. */
function splitWords(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1-$2')
    .split(/[-_]/)
    .map((word) => word.toLowerCase());
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** The name without `suffix` when it ends with it: `OrderListProjector` -> `OrderList`. */
export function withoutSuffix(name: ElementName, suffix: string): ElementName {
  if (!name.pascal.endsWith(suffix) || name.pascal === suffix) return name;
  return elementName(name.pascal.slice(0, -suffix.length));
}
