export * from './test-fleet';
export * from './private-servers';
export * from './console-browser';
