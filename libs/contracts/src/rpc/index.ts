export * from './rpc-error';
export * from './rpc-method';
export * from './bytes';
