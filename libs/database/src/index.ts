export * from './service-datasource';
export * from './provision';
export * from './migrate';
