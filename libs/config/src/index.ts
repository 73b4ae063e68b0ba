export * from './validate-env';
export * from './common-env';
export * from './fleet-config';
export * from './development-secrets';
