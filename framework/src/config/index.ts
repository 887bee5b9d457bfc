/**
 * The config module: domain.toml discovery, PROTEAN_ENV overlays, `${VAR|default}` interpolation,
 * defaults, validation, and subscription profiles.
 */
export { loadConfig, findConfigFile, configSearchDirectories, CONFIG_FILE_NAMES } from './load.js';
export type { ConfigLog, LoadConfigOptions } from './load.js';
export { defaultConfig } from './defaults.js';
export { checkConfig } from './validate.js';
export type { CheckOptions } from './validate.js';
export type { ExtraProviders } from './schema.js';
export type { ConfigIssue } from './issues.js';
export { interpolate } from './interpolate.js';
export type { Env, Interpolated } from './interpolate.js';
export {
  BUILTIN_PROFILES,
  BUILTIN_PROFILE_NAMES,
  isBuiltinProfile,
  resolveSubscriptionOptions,
} from './profiles.js';
export type {
  ProfileSettings,
  ResolvedEventStoreSubscription,
  ResolvedStreamSubscription,
  ResolvedSubscriptionOptions,
} from './profiles.js';
export type * from './types.js';
