export * from './test-tokens';
export * from './test-database';
export * from './child-logs';
export * from './chat-client';
export * from './service-process';
export * from './test-vhost';
export * from './ffmpeg';
export * from './video-feed-client';
