export * from './health.types';
export * from './health.service';
export * from './health.controller';
export * from './health.module';
export * from './liveness';
