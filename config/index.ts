export { DocketConfig, FaultPlan, TierName, durationMs, modelTaskQueues } from './schema';
export type {
  ApiKeyEntry,
  CascadeRungConfig,
  ApiRole,
  EncryptionKeyEntry,
  ModelEntry,
  ModelTier,
  Provider,
  Webhook,
} from './schema';
export { ConfigError, hashApiKey, loadConfig, parseApiKeysEnv, parseEncryptionKeysEnv } from './load';
export { missingCapability, takesReasoningEffort } from './models';
export type { DeepPartial, LoadConfigOptions } from './load';
export { createLogger, REDACTED_PATHS } from './logger';
export { devServerUiUrl, temporalConnectionOptions } from './temporal-connection';
export type { TemporalConnectionOptions } from './temporal-connection';
export type { Logger } from './logger';
