export * from './run';
export * from './schedule';
