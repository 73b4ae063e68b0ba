export * from './auth-user';
export * from './token-verifier';
export * from './auth.decorators';
export * from './auth.guard';
export * from './auth.module';
export * from './client-provisioner';
export * from './verified-token-cache';
