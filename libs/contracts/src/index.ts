// Contract classes carry class-validator/class-transformer decorators, which need the metadata polyfill
// loaded before any of them is evaluated, whoever imports the contracts first.
import 'reflect-metadata';
export * from './rpc';
export * from './auth/roles';
export * from './paging';
export * from './chat/chat.contract';
export * from './store/store.contract';
export * from './face/face.contract';
export * from './base';
export * from './translator/translator.contract';
export * from './video/video.contract';
export * from './vision/vision.contract';
