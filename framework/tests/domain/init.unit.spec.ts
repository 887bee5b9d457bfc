import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigurationError, Domain, field, IncorrectUsageError } from '../../src/index.js';

const dirs: string[] = [];
// #region folder-with
function folderWith(toml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'protean-init-'));
  writeFileSync(join(dir, 'domain.toml'), toml);
  dirs.push(dir);
  return dir;
}
// #endregion folder-with
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('domain.init()', () => {
  it('reports every problem of the model at once', async () => {
    // #region init-problems
    const domain = new Domain({ name: 'shop', config: {} });
    const Order = domain.aggregate('Order', { bookId: field.reference('Book') });
    domain.command('PlaceOrder', {}, { partOf: Order });
    const Ship = domain.command('ShipOrder', {}, { partOf: Order });
    domain.handle(Ship, () => undefined);
    domain.handle(Ship, () => undefined);
    domain.event('Orphaned', {}, { partOf: 'Basket' });
    domain.eventHandler('Idle');

    const error = await domain.init().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IncorrectUsageError);
    expect(error).toMatchObject({ code: 'INCORRECT_USAGE' });
    const message = (error as Error).message;
    expect(message).toContain('domain "shop" cannot start; fix these problems:');
    expect(message).toContain('command ShipOrder has two handlers; a command has exactly one');
    expect(message).toContain(
      'command PlaceOrder has no handler; register one with domain.handle(PlaceOrder, ...)',
    );
    expect(message).toContain(
      'event Orphaned is part of "Basket", which is not an aggregate of this domain',
    );
    expect(message).toContain(
      'Order.bookId refers to "Book", which is not an aggregate of this domain',
    );
    expect(message).toContain('Idle reacts to no event; add one with .on(Event, ...)');
    expect(domain.initialized).toBe(false);
    // #endregion init-problems
  });

  it('names elements of another domain used in this one', async () => {
    const other = new Domain({ name: 'other', config: {} });
    const Money = other.valueObject('Money', { amount: field.number() });
    const domain = new Domain({ name: 'shop', config: {} });
    domain.aggregate('Book', { price: field.valueObject(Money) });
    await expect(domain.init()).rejects.toThrow(
      'Book.price uses Money that is not registered in this domain',
    );
  });

  it('reads domain.toml from the root folder and rejects a bad key with file, key and suggestion', async () => {
    // #region config-bad-key
    const root = folderWith('event_procesing = "async"\n');
    const domain = new Domain({ name: 'shop', root });
    const error = await domain.init().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error).toMatchObject({ code: 'CONFIGURATION_ERROR' });
    expect((error as Error).message).toMatch(
      /domain\.toml: event_procesing: unknown key; did you mean "event_processing"\?/,
    );
    // #endregion config-bad-key
  });

  it('reports model problems and configuration problems together', async () => {
    // #region config-problems-together
    const root = folderWith('[brokers.default]\nprovider = "redis-streams"\n');
    const domain = new Domain({ name: 'shop', root });
    const Order = domain.aggregate('Order', {});
    domain.command('PlaceOrder', {}, { partOf: Order });
    const message = await domain.init().then(
      () => '',
      (e: Error) => e.message,
    );
    expect(message).toContain('command PlaceOrder has no handler');
    expect(message).toContain(
      'brokers.default.provider: unknown provider "redis-streams"; expected one of inline, redis, redis_pubsub',
    );
    // #endregion config-problems-together
  });

  it('applies the configuration it found', async () => {
    // #region config-interpolation
    const root = folderWith(
      'event_processing = "async"\n[custom]\ngreeting = "${GREETING|hello}"\n',
    );
    const domain = new Domain({ name: 'shop', root });
    await domain.init();
    expect(domain.config.event_processing).toBe('async');
    expect(domain.config.custom).toEqual({ greeting: 'hello' });
    // #endregion config-interpolation
    await domain.close();
  });

  it('finds domain.toml beside the module that created the domain', async () => {
    // #region config-beside-module
    const root = folderWith('command_processing = "async"\n');
    const entry = join(root, 'domain.mjs');
    const protean = new URL('../../src/index.ts', import.meta.url).href;
    writeFileSync(
      entry,
      `import { Domain } from '${protean}';\nexport const domain = new Domain({ name: 'shop' });\n`,
    );
    const { domain } = (await import(entry)) as { domain: Domain };
    await domain.init();
    expect(domain.config.command_processing).toBe('async');
    // #endregion config-beside-module
    await domain.close();
  });

  it('needs an identity generator for identity_strategy = "function"', async () => {
    // #region identity-function
    const domain = new Domain({ name: 'shop', config: { identity_strategy: 'function' } });
    await expect(domain.init()).rejects.toThrow(
      /call domain.identity\(\(\) => \.\.\.\) before init\(\)/,
    );
    let n = 0;
    domain.identity(() => `shop-${++n}`);
    const Book = domain.aggregate('Book', {});
    await domain.init();
    expect(new Book({}).id).toBe('shop-1');
    // #endregion identity-function
    await domain.close();
  });

  it('refuses work before init with a message that says what to do', () => {
    // #region not-initialized
    const domain = new Domain({ name: 'shop', config: {} });
    expect(() => domain.eventStore).toThrow(
      'domain "shop" is not initialized: call `await domain.init()`',
    );
    // #endregion not-initialized
  });
});

describe('subscription settings at init', () => {
  it('rejects a dead-letter queue on an event-store subscription, naming the handler', async () => {
    const root = folderWith(
      '[server.subscriptions.Auditor]\nsubscription_type = "event_store"\nenable_dlq = true\n',
    );
    const domain = new Domain({ name: 'shop', root });
    const Order = domain.aggregate('Order', {});
    const Placed = domain.event('Placed', {}, { partOf: Order });
    domain.eventHandler('Auditor').on(Placed, () => undefined);
    const error = await domain.init().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toContain('domain "shop" cannot start');
    expect((error as Error).message).toContain('Auditor');
    expect((error as Error).message).toContain('enable_dlq');
  });
});

describe('what the engine reads from a domain', () => {
  it('lists every handler with the categories and message types it handles', async () => {
    const domain = new Domain({ name: 'shop', config: {} });
    const Order = domain.aggregate('Order', {});
    const Place = domain.command('PlaceOrder', {}, { partOf: Order });
    const Placed = domain.event('OrderPlaced', {}, { partOf: Order });
    const View = domain.projection('OrderView', {
      orderId: field.identifier({ identifier: true }),
    });
    domain.handle(Place, () => undefined);
    domain.projector('OrderProjector', { projections: [View] }).on(Placed, () => undefined);
    await domain.init();
    expect(
      domain
        .handlers()
        .map(({ name, kind, categories }) => ({ name, kind, categories: [...categories] })),
    ).toEqual([
      {
        name: 'PlaceOrderHandler',
        kind: 'command_handler',
        categories: [['shop::order:command', ['Shop.PlaceOrder.v1']]],
      },
      {
        name: 'OrderProjector',
        kind: 'projector',
        categories: [['shop::order', ['Shop.OrderPlaced.v1']]],
      },
    ]);
    expect(domain.subscriptionOptions('OrderProjector')).toMatchObject({
      subscription_type: 'event_store',
    });
    await domain.close();
  });
});
