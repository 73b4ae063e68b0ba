import 'reflect-metadata';
export * from './bootstrap-service';
export * from './fleet-service.module';
export * from './polling-worker';
export * from './instance-roster';
