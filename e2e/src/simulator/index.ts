export * from './station';
export * from './station-api';
export * from './chat-actor';
export * from './repeating-actions';
