import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { findDevelopmentSecrets } from './development-secrets';

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

/** In production (NODE_ENV=production), a development secret, set or defaulted, stops the service at boot. */
function refusedInProduction<T extends object>(envClass: new () => T, instance: T): string[] {
  if ((instance as { NODE_ENV?: unknown }).NODE_ENV !== 'production') return [];
  // Only the class's variables: the rest of the process environment is not the service's to judge.
  const declared = new Set(Object.keys(new envClass()));
  const own = Object.fromEntries(Object.entries(instance).filter(([name]) => declared.has(name)));
  return findDevelopmentSecrets(own).map((name) => `${name}: holds a development secret of this repository; production needs its own`);
}

/**
 * Validates `env` against a class-validator annotated class. Defaults are the class's
 * property initialisers; `enableImplicitConversion` turns "8080" into 8080 for numeric fields.
 * With NODE_ENV=production it also refuses every development secret (see DEVELOPMENT_SECRETS).
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
  const problems = [...describe(errors), ...refusedInProduction(envClass, instance)];
  if (problems.length > 0) {
    throw new EnvValidationError(problems);
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
