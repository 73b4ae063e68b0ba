export * from './test-fleet';
export * from './private-servers';
