export * from './setup-openapi';
export * from './plugin-metadata';
export * from './openapi-coverage';
export * from './api-error';
export * from './page-query';
export * from './page-response';
