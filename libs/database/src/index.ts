export * from './service-datasource';
export * from './provision';
export * from './migrate';
export * from './query-results';
export * from './paging';
export * from './connect-retry';
