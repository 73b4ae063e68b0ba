export * from './station';
export * from './station-api';
