export * from './test-fleet';
