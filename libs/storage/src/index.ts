export * from './object-store';
export * from './filesystem-object-store';
// Types only: the S3 store (and the AWS SDK) is loaded by createObjectStore when a bucket is configured.
export type { S3Settings } from './s3-object-store';
export * from './storage-env';
export * from './create-object-store';
