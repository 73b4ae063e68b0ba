/** A class whose instances class-validator can check; params and results are declared as such classes. */
export type ContractClass<T> = new () => T;

/**
 * One cross-service request/response method, declared once and imported by caller and handler.
 * The name is versioned (`face.identify.v1`); a breaking change adds `.v2` next to it.
 */
export interface RpcMethod<P extends object, R> {
  readonly kind: 'method';
  readonly name: string;
  readonly params: ContractClass<P>;
  /** Documentation and typing of the result; results are not re-validated on receipt. */
  readonly result?: ContractClass<R>;
}

/** A fire-and-forget event that must not be lost (durable, acked after handling). */
export interface RpcEvent<P extends object> {
  readonly kind: 'event';
  readonly name: string;
  readonly params: ContractClass<P>;
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
): RpcMethod<P, R> {
  assertVersionedName(name);
  return Object.freeze({ kind: 'method' as const, name, params, result });
}

export function defineEvent<P extends object>(name: string, params: ContractClass<P>): RpcEvent<P> {
  assertVersionedName(name);
  return Object.freeze({ kind: 'event' as const, name, params });
}

export type ParamsOf<M> = M extends RpcMethod<infer P, unknown> ? P : M extends RpcEvent<infer P> ? P : never;
export type ResultOf<M> = M extends RpcMethod<object, infer R> ? R : never;
