/** The model gateway: imported by activities and the worker only, never by workflow code. */
export { createModelClients, createProviderClient, providerBaseURL } from './client';
export { DEPRECATION_WARNING_DAYS, deprecationNotices, warnOfDeprecatedModels } from './deprecations';
export type { DeprecationNotice } from './deprecations';
export {
  ModelBudgetExceededError,
  ModelContextWindowError,
  ModelError,
  ModelOutputInvalidError,
  ModelOutputTruncatedError,
  ModelRateLimitError,
  ModelRequestRejectedError,
  ModelRetiredError,
  ModelUnavailableError,
} from './errors';
export { toModelError } from './errors';
export { createModelGateway } from './gateway';
export type {
  BatchPoll,
  ModelFallback,
  ModelGateway,
  ModelGatewayDeps,
  RunTurnOptions,
  SubmittedBatch,
  TurnBudget,
} from './gateway';
export { costUsd } from './pricing';
export { checkTiersServeAgents } from './request';
export { promptTokens, textTokens } from './tokens';
