/**
 * The failure converter of every Docket worker and client, by module path (`failureConverterPath`): the
 * worker bundles it into the workflow sandbox too. Error messages and stack traces go into an encoded
 * attributes payload, which the payload codec then encrypts, so an error that quotes an intake cannot
 * leave that text in history. Imports nothing but the SDK: it runs inside the deterministic sandbox.
 */
import { DefaultFailureConverter } from '@temporalio/common';

export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
