/**
 * Subscription profiles and the resolution of one handler's subscription options.
 */
import { defaultConfig } from './defaults.js';
import { issueAt, throwIfIssues } from './issues.js';
import type { ConfigIssue } from './issues.js';
import { BUILTIN_PROFILE_NAMES, HANDLER_SUBSCRIPTION_RULE } from './schema.js';
import type { KeyPath } from './tree.js';
import type {
  BuiltinProfileName,
  CustomProfileConfig,
  DeepPartial,
  HandlerSubscriptionConfig,
  LoadedConfig,
  ServerConfig,
  SubscriptionSettings,
  SubscriptionType,
} from './types.js';
import { checkConfig, unknownProfileMessage } from './validate.js';

export { BUILTIN_PROFILE_NAMES };

/** The settings a built-in profile fixes. */
export type ProfileSettings = Required<
  Omit<SubscriptionSettings, 'tick_interval' | 'claim_idle_ms'>
>;

/** The built-in subscription profiles, as docs/reference/configuration.md tabulates them. */
export const BUILTIN_PROFILES: Readonly<Record<BuiltinProfileName, Readonly<ProfileSettings>>> = {
  production: profile('stream', 100, 5000, 3, 1, true, 10),
  fast: profile('stream', 10, 100, 2, 0, true, 5),
  batch: profile('stream', 500, 10000, 5, 2, true, 50),
  debug: profile('stream', 1, 1000, 1, 0, false, 1),
  projection: profile('event_store', 100, 5000, 3, 1, false, 10),
};

function profile(
  subscription_type: SubscriptionType,
  messages_per_tick: number,
  blocking_timeout_ms: number,
  max_retries: number,
  retry_delay_seconds: number,
  enable_dlq: boolean,
  position_update_interval: number,
): ProfileSettings {
  return {
    subscription_type,
    messages_per_tick,
    blocking_timeout_ms,
    max_retries,
    retry_delay_seconds,
    enable_dlq,
    position_update_interval,
  };
}

/** True when `name` is one of the built-in profiles. */
export function isBuiltinProfile(name: string): name is BuiltinProfileName {
  return (BUILTIN_PROFILE_NAMES as readonly string[]).includes(name);
}

interface ResolvedCommon {
  /** The handler the options are for. */
  handler: string;
  /** The profile applied, if any. */
  profile: string | undefined;
  messages_per_tick: number;
  tick_interval: number;
  max_retries: number;
  retry_delay_seconds: number;
}

/** Options of a subscription that reads a broker stream with a consumer group. */
export interface ResolvedStreamSubscription extends ResolvedCommon {
  subscription_type: 'stream';
  blocking_timeout_ms: number;
  enable_dlq: boolean;
  claim_idle_ms: number;
}

/** Options of a subscription that polls the event store and keeps its position there. */
export interface ResolvedEventStoreSubscription extends ResolvedCommon {
  subscription_type: 'event_store';
  position_update_interval: number;
}

export type ResolvedSubscriptionOptions =
  ResolvedStreamSubscription | ResolvedEventStoreSubscription;

type SettingKey = keyof SubscriptionSettings;
type Values = Partial<Record<SettingKey, unknown>>;

/** One source of values, with where its keys live (for messages). */
interface Layer {
  values: Values;
  file: string;
  path: KeyPath;
  /** Whether the user wrote it (a built-in profile's `enable_dlq` is not the user's doing). */
  written: boolean;
}

const COMMON_KEYS = [
  'messages_per_tick',
  'tick_interval',
  'max_retries',
  'retry_delay_seconds',
] as const;
const STREAM_KEYS = ['blocking_timeout_ms', 'enable_dlq', 'claim_idle_ms'] as const;
const EVENT_STORE_KEYS = ['position_update_interval'] as const;

/**
 * The subscription options of one handler. Highest first:
 * 1. the handler's own options (`own`, same keys as a `[server.subscriptions.<Handler>]` table);
 * 2. `[server.subscriptions.<Handler>]`;
 * 3. the `[server]` values the user actually wrote: `messages_per_tick`, `tick_interval`,
 *    `default_subscription_type`, and `[server.stream_subscription]` or
 *    `[server.event_store_subscription]` (whichever matches the subscription type);
 * 4. the profile, named by the handler, its table or `server.default_subscription_profile`
 *    (a custom `[server.profiles.<name>]` ranks above the built-in it inherits);
 * 5. the built-in defaults: `[server]` as `defaultConfig()` has it.
 *
 * So a `[server]` value ranks above the profile only when the user set it: `profile = "batch"`
 * gives 500 messages per tick although `[server] messages_per_tick` defaults to 100.
 * `loaded.userConfig` (from {@link loadConfig}) is what tells the two apart.
 *
 * @throws ConfigurationError for an invalid own option (e.g. a non-positive count), an unknown
 *   profile, a custom profile inheriting an unknown built-in, or `enable_dlq = true` (written by
 *   the user) on an event_store subscription; all problems at once.
 *
 * @example
 * const loaded = loadConfig({ entryDir: import.meta.dirname });
 * const options = resolveSubscriptionOptions(loaded, 'BookProjector', { profile: 'projection' });
 * options.subscription_type; // 'event_store'
 */
export function resolveSubscriptionOptions(
  loaded: Pick<LoadedConfig, 'userConfig' | 'label'>,
  handler: string,
  own: HandlerSubscriptionConfig = {},
): ResolvedSubscriptionOptions {
  const ownFile = `${handler} (handler options)`;
  const issues = checkConfig(own, { file: ownFile }, HANDLER_SUBSCRIPTION_RULE);
  const server = loaded.userConfig.server ?? {};
  const handlerTable = server.subscriptions?.[handler] ?? {};
  const top: Layer[] = [
    { values: own, file: ownFile, path: [], written: true },
    {
      values: handlerTable,
      file: loaded.label,
      path: ['server', 'subscriptions', handler],
      written: true,
    },
  ];
  const chosen = chooseProfile(top, server, loaded.label);
  const profileLayers = chosen ? layersOfProfile(chosen, server, loaded.label, issues) : [];
  const serverTop = serverTopLayer(server, loaded.label);
  const typeLayers = [...top, serverTop, ...profileLayers];
  const type = (firstValue(typeLayers, 'subscription_type') ?? 'event_store') as SubscriptionType;
  const serverType = serverTypeLayer(server, type, loaded.label);
  const layers = [...top, serverTop, serverType, ...profileLayers, builtinLayer(type)];
  throwIfIssues([...issues, ...dlqIssues(layers, type, handler)]);
  return assemble(layers, type, handler, chosen?.name);
}

interface ChosenProfile {
  name: string;
  layer: Layer;
  key: 'profile' | 'default_subscription_profile';
}

function chooseProfile(
  top: Layer[],
  server: DeepPartial<ServerConfig>,
  label: string,
): ChosenProfile | undefined {
  for (const layer of top) {
    const name = (layer.values as { profile?: unknown }).profile;
    if (typeof name === 'string' && name !== '') return { name, layer, key: 'profile' };
  }
  const name = server.default_subscription_profile;
  if (typeof name !== 'string' || name === '') return undefined;
  const layer: Layer = { values: {}, file: label, path: ['server'], written: true };
  return { name, layer, key: 'default_subscription_profile' };
}

/** A custom profile's own layer, then the built-in it inherits; or the built-in alone. */
function layersOfProfile(
  chosen: ChosenProfile,
  server: DeepPartial<ServerConfig>,
  label: string,
  issues: ConfigIssue[],
): Layer[] {
  if (isBuiltinProfile(chosen.name)) return [builtinProfileLayer(chosen.name)];
  const custom: DeepPartial<CustomProfileConfig> | undefined = server.profiles?.[chosen.name];
  if (custom === undefined) {
    const known = [...BUILTIN_PROFILE_NAMES, ...Object.keys(server.profiles ?? {})];
    issues.push(
      issueAt(
        chosen.layer.file,
        [...chosen.layer.path, chosen.key],
        unknownProfileMessage(chosen.name, known),
      ),
    );
    return [];
  }
  const path = ['server', 'profiles', chosen.name];
  const { inherits, ...values } = custom;
  const layers: Layer[] = [{ values, file: label, path, written: true }];
  if (inherits === undefined) return layers;
  if (isBuiltinProfile(inherits)) return [...layers, builtinProfileLayer(inherits)];
  issues.push(
    issueAt(
      label,
      [...path, 'inherits'],
      `unknown profile ${JSON.stringify(inherits)}; expected one of ${BUILTIN_PROFILE_NAMES.join(', ')}`,
    ),
  );
  return layers;
}

function builtinProfileLayer(name: BuiltinProfileName): Layer {
  return {
    values: BUILTIN_PROFILES[name],
    file: `built-in profile "${name}"`,
    path: [],
    written: false,
  };
}

function serverTopLayer(server: DeepPartial<ServerConfig>, label: string): Layer {
  const values: Values = {
    subscription_type: server.default_subscription_type,
    messages_per_tick: server.messages_per_tick,
    tick_interval: server.tick_interval,
  };
  return { values, file: label, path: ['server'], written: true };
}

function serverTypeLayer(
  server: DeepPartial<ServerConfig>,
  type: SubscriptionType,
  label: string,
): Layer {
  const table = type === 'stream' ? 'stream_subscription' : 'event_store_subscription';
  return { values: server[table] ?? {}, file: label, path: ['server', table], written: true };
}

function builtinLayer(type: SubscriptionType): Layer {
  const { server } = defaultConfig();
  const values: Values = {
    messages_per_tick: server.messages_per_tick,
    tick_interval: server.tick_interval,
    ...(type === 'stream' ? server.stream_subscription : server.event_store_subscription),
  };
  return { values, file: 'built-in defaults', path: [], written: false };
}

/** The value of the highest layer that sets `key`. */
function firstValue(layers: readonly Layer[], key: SettingKey): unknown {
  return layers.find((layer) => layer.values[key] !== undefined)?.values[key];
}

/** Dead-letter queues belong to broker streams; asking for one on the event store is a mistake. */
function dlqIssues(
  layers: readonly Layer[],
  type: SubscriptionType,
  handler: string,
): ConfigIssue[] {
  if (type !== 'event_store') return [];
  return layers
    .filter((layer) => layer.written && layer.values.enable_dlq === true)
    .map((layer) =>
      issueAt(
        layer.file,
        [...layer.path, 'enable_dlq'],
        `enable_dlq = true, but ${handler} has an event_store subscription and dead-letter queues exist only ` +
          'for stream subscriptions; remove enable_dlq or set subscription_type = "stream"',
      ),
    );
}

function assemble(
  layers: readonly Layer[],
  type: SubscriptionType,
  handler: string,
  profileName: string | undefined,
): ResolvedSubscriptionOptions {
  const keys = [...COMMON_KEYS, ...(type === 'stream' ? STREAM_KEYS : EVENT_STORE_KEYS)];
  const values = Object.fromEntries(keys.map((key) => [key, firstValue(layers, key)]));
  return {
    ...values,
    subscription_type: type,
    handler,
    profile: profileName,
  } as ResolvedSubscriptionOptions;
}
