import { plainToInstance } from 'class-transformer';
import { validate, ValidationError } from 'class-validator';
import { ContractClass, RpcErrorCode } from '@fleet/contracts';
import { RpcError } from '../errors/rpc-error';

function messages(errors: ValidationError[], path = ''): string[] {
  return errors.flatMap((error) => {
    const property = path ? `${path}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((text) => (path ? `${path}.${text}` : text));
    return own.concat(messages(error.children ?? [], property));
  });
}

/**
 * Turns a message's `data` into an instance of the contract's params class, or throws InvalidParams
 * with every violation in `data.errors`.
 *
 * Unknown properties are stripped, not refused (a tolerant reader): during a rolling deploy a newer
 * caller may send an optional field an older handler does not know yet, and that must not break
 * a `.v1` method. Consequently every params field needs a class-validator decorator (`@Allow()`
 * at least), or it never reaches the handler.
 */
export async function validateParams<T extends object>(method: { name: string; params: ContractClass<T> }, data: unknown): Promise<T> {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new RpcError(RpcErrorCode.InvalidParams, `Invalid params for ${method.name}: params must be an object`, {
      errors: ['params must be an object'],
    });
  }
  const instance = plainToInstance(method.params, data);
  const errors = await validate(instance, { whitelist: true, forbidUnknownValues: false });
  if (errors.length > 0) {
    const found = messages(errors);
    throw new RpcError(RpcErrorCode.InvalidParams, `Invalid params for ${method.name}: ${found.join('; ')}`, { errors: found });
  }
  return instance;
}
