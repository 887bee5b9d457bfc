/**
 * The built-in adapters reach a domain as a table the `Domain` of `protean-ts` is given, not
 * through a registry filled at import; `registerProvider()` adds to them for every domain.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createInlineBroker, registeredProviders, registerProvider } from 'protean-ts/adapter';
import { ConfigurationError, Domain } from 'protean-ts';
import { Domain as DomainCore } from '../../src/domain/domain.js';

const opened: Domain[] = [];
afterEach(async () => {
  for (const domain of opened.splice(0)) await domain.close();
});

async function started(domain: Domain): Promise<Domain> {
  opened.push(domain);
  return domain.init();
}

describe('the providers a domain can build', () => {
  it('are the built-in ones for the Domain of protean-ts, with nothing registered', async () => {
    const domain = await started(new Domain({ name: 'shop', config: {} }));

    expect([domain.database.provider, domain.eventStore.provider]).toEqual(['memory', 'memory']);
    expect(registeredProviders('database')).toEqual([]);
  });

  it('include what registerProvider() adds, for every domain', async () => {
    const name = `test-${randomUUID()}`;
    const broker = createInlineBroker();
    registerProvider('broker', name, async () => broker);

    const domain = await started(
      new Domain({ name: 'shop', config: { brokers: { default: { provider: name } } } }),
    );

    expect(domain.broker).toBe(broker);
  });

  it('are none but the registered ones for a domain given no table', async () => {
    const domain = new DomainCore({ name: 'shop', config: {} });

    const failure = await domain.init().catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(ConfigurationError);
    expect((failure as Error).message).toMatch(/databases\.default\.provider/);
  });
});
