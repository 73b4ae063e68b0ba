export * from './request-context';
export * from './logger';
export * from './request-id.middleware';
