import { Client, Connection, type DataConverter } from '@temporalio/client';
import { temporalConnectionOptions, type DocketConfig } from '../config';
import { unreachableTemporal } from './unreachable';

/**
 * A Temporal client on the configured server and namespace, with the data converter given (Docket's
 * codec). A server that does not answer stops the caller with `unreachableTemporal`'s message. Close it
 * with `client.connection.close()`.
 */
export async function connectClient(
  temporal: DocketConfig['temporal'],
  dataConverter: DataConverter,
): Promise<Client> {
  const connection = await Connection.connect(temporalConnectionOptions(temporal)).catch((err: unknown) => {
    throw unreachableTemporal(temporal.address, err);
  });
  return new Client({ connection, namespace: temporal.namespace, dataConverter });
}
