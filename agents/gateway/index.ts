/** The model gateway: imported by activities and the worker only, never by workflow code. */
export { createModelClient, providerBaseURL } from './client';
export {
  ModelError,
  ModelOutputInvalidError,
  ModelOutputTruncatedError,
  ModelRateLimitError,
  ModelRequestRejectedError,
  ModelUnavailableError,
} from './errors';
export { createModelGateway, toModelError } from './gateway';
export type { ModelGateway, ModelGatewayDeps } from './gateway';
export { costUsd } from './pricing';
