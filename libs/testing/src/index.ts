export * from './test-tokens';
export * from './test-database';
export * from './child-logs';
export * from './chat-client';
