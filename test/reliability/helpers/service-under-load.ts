import type { StoreKind } from '../../../examples/example-support/src/index';
import { freePort } from './env';
import { startLoad, type Load, type LoadOptions } from './load';
import { orderProcess, type OrderProcess } from './order-process';

/** A run's names (see `runNames`) and the servers its order-service processes use. */
export interface RunSetup {
  names: { serviceName: string; schema: string; id: string };
  brokers: string[];
  postgresUrl: string;
  /** The order service's state store; `schema` names its namespace there. @defaultValue 'postgres' */
  store?: StoreKind;
}

/** An order-service process of the run on a free port, not started yet. */
export async function newOrderProcess(run: RunSetup): Promise<OrderProcess> {
  return orderProcess({
    serviceName: run.names.serviceName,
    schema: run.names.schema,
    port: await freePort(),
    brokers: run.brokers,
    postgresUrl: run.postgresUrl,
    store: run.store ?? 'postgres',
  });
}

/**
 * Starts one order-service process and a steady load against it. `onProcess` receives the process before it
 * starts, so the caller's cleanup can kill it even when the start fails.
 */
export async function serviceUnderLoad(
  run: RunSetup,
  load: Omit<LoadOptions, 'targets' | 'runId'>,
  onProcess: (p: OrderProcess) => void,
): Promise<{ p: OrderProcess; load: Load }> {
  const p = await newOrderProcess(run);
  onProcess(p);
  await p.start();
  return { p, load: startLoad({ ...load, targets: () => [p.base], runId: run.names.id }) };
}
