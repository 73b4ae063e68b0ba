export * from './fleet';
export * from './fleet-env';
export * from './services';
export * from './ports';
export * from './nginx-config';
export * from './identity';
export * from './supervisor';
