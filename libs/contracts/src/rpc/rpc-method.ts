/** A class whose instances class-validator can check; params and results are declared as such classes. */
export type ContractClass<T> = new () => T;

/**
 * One cross-service request/response method, declared once and imported by caller and handler.
 * The name is versioned (`face.identify.v1`) and starts with the service that serves it; a
 * breaking change adds `.v2` next to it.
 */
export interface RpcMethod<P extends object, R> {
  readonly kind: 'method';
  readonly name: string;
  readonly params: ContractClass<P>;
  /** Documentation and typing of the result; results are not re-validated on receipt. */
  readonly result?: ContractClass<R>;
  /**
   * The direct queue its handlers consume and callers send to: `fleet.<service>`, or the queue of
   * one of the service's worker pools when the contract names one (`fleet.vision.detect`).
   */
  readonly queue: string;
}

/**
 * A fact that happened in the service that publishes it, named by that producer
 * (`base.engineer.created.v1`), never by who listens: any number of services may consume it.
 * Durable, and acked only after handling.
 */
export interface RpcEvent<P extends object> {
  readonly kind: 'event';
  readonly name: string;
  readonly params: ContractClass<P>;
  /** The service that publishes it: the first segment of its name. */
  readonly producer: string;
}

/** Every queue of the fleet starts with this. */
export const QUEUE_PREFIX = 'fleet';

/** The direct queue of a service's RPC methods. */
export function rpcQueueOf(service: string): string {
  return `${QUEUE_PREFIX}.${service}`;
}

function firstSegment(name: string): string {
  return name.slice(0, name.indexOf('.'));
}

const VERSIONED_NAME = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+\.v\d+$/;

function assertVersionedName(name: string): void {
  if (!VERSIONED_NAME.test(name)) {
    throw new Error(`Contract name "${name}" must look like "service.action.v1"`);
  }
}

export function defineMethod<P extends object, R>(
  name: string,
  params: ContractClass<P>,
  result?: ContractClass<R>,
  options: { pool?: string } = {},
): RpcMethod<P, R> {
  assertVersionedName(name);
  const service = firstSegment(name);
  if (options.pool !== undefined && !/^[a-z][a-z0-9_]*$/.test(options.pool)) throw new Error(`Pool name "${options.pool}" of ${name} must look like "detect"`);
  const queue = options.pool ? `${rpcQueueOf(service)}.${options.pool}` : rpcQueueOf(service);
  return Object.freeze({ kind: 'method' as const, name, params, result, queue });
}

/** `name` starts with the producing service, then what happened: `base.engineer.created.v1`. */
export function defineEvent<P extends object>(name: string, params: ContractClass<P>): RpcEvent<P> {
  assertVersionedName(name);
  return Object.freeze({ kind: 'event' as const, name, params, producer: firstSegment(name) });
}

export type ParamsOf<M> = M extends RpcMethod<infer P, unknown> ? P : M extends RpcEvent<infer P> ? P : never;
export type ResultOf<M> = M extends RpcMethod<object, infer R> ? R : never;
