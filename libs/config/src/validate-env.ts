import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';

/** Thrown at boot when the environment is wrong; lists every failing variable at once. */
export class EnvValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment:\n  - ${problems.join('\n  - ')}`);
    this.name = 'EnvValidationError';
  }
}

function describe(errors: ValidationError[]): string[] {
  return errors.flatMap((error) =>
    Object.values(error.constraints ?? { invalid: `${error.property} is invalid` }).map(
      (message) => `${error.property}: ${message}`,
    ),
  );
}

/**
 * Validates `env` against a class-validator annotated class. Defaults are the class's
 * property initialisers; `enableImplicitConversion` turns "8080" into 8080 for numeric fields.
 */
export function validateEnv<T extends object>(
  envClass: new () => T,
  env: NodeJS.ProcessEnv = process.env,
): T {
  const defined = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const instance = plainToInstance(envClass, defined, {
    enableImplicitConversion: true,
    excludeExtraneousValues: false,
  });
  const errors = validateSync(instance, { whitelist: false, skipMissingProperties: false });
  if (errors.length > 0) {
    throw new EnvValidationError(describe(errors));
  }
  return instance;
}

/** Caches one loaded config per loader, so every module reads the same validated object. */
export function cachedLoader<T>(load: () => T): { get: () => T; clear: () => void } {
  let cached: T | undefined;
  return {
    get: () => (cached ??= load()),
    clear: () => {
      cached = undefined;
    },
  };
}
