export * from './rpc';
export * from './auth/roles';
export * from './chat/chat.contract';
export * from './store/store.contract';
export * from './face/face.contract';
export * from './base';
export * from './translator/translator.contract';
export * from './video/video.contract';
