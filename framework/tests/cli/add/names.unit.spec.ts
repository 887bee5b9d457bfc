import { describe, expect, it } from 'vitest';
import { elementName, withoutSuffix } from '../../../src/cli/add/names.js';
import { CommandFailure } from '../../../src/cli/exit.js';

describe('element names', () => {
  it('reads OrderItem, orderItem, order-item and order_item as the same name', () => {
    const spellings = ['OrderItem', 'orderItem', 'order-item', 'order_item'].map((n) =>
      elementName(n),
    );

    for (const name of spellings) {
      expect(name).toEqual({ pascal: 'OrderItem', camel: 'orderItem', kebab: 'order-item' });
    }
  });

  it('keeps an acronym as written in PascalCase, and splits it for variables and files', () => {
    expect(elementName('HTTPRequest')).toEqual({
      pascal: 'HTTPRequest',
      camel: 'httpRequest',
      kebab: 'http-request',
    });
  });

  it.each(['', '1Order', 'order item', 'order--item', 'Order!', '-order'])(
    'refuses %j with exit code 2 and an example of a good name',
    (input) => {
      const error = catchError(() => elementName(input));

      expect(error).toBeInstanceOf(CommandFailure);
      expect((error as CommandFailure).exitCode).toBe(2);
      expect((error as Error).message).toMatch(/OrderItem, orderItem or order-item/);
    },
  );

  it('refuses a name whose variable would be a reserved word', () => {
    expect(() => elementName('Class')).toThrow(/`class` as a variable, which is a reserved word/);
  });

  it('drops a kind suffix: OrderListProjector names the projection OrderList', () => {
    expect(withoutSuffix(elementName('OrderListProjector'), 'Projector').pascal).toBe('OrderList');
    expect(withoutSuffix(elementName('Projector'), 'Projector').pascal).toBe('Projector');
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}
