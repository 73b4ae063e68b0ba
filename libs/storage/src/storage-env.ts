import { IsIn, IsNotEmpty, IsOptional, IsString, IsUrl, Matches, ValidateIf } from 'class-validator';
import type { S3Settings } from './s3-object-store';

export type StorageBackend = 'fs' | 's3';

/** Which store a service's shared files live in (see createObjectStore). */
export type StorageSettings = { backend: 'fs' } | { backend: 's3'; s3: S3Settings };

/** The storage variables, as validated. */
export interface StorageEnvVariables {
  STORAGE_BACKEND: StorageBackend;
  S3_ENDPOINT?: string;
  S3_REGION: string;
  S3_BUCKET?: string;
  S3_PREFIX?: string;
  S3_FORCE_PATH_STYLE?: 'true' | 'false';
  S3_ACCESS_KEY_ID?: string;
  S3_SECRET_ACCESS_KEY?: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the mixin pattern needs a constructor of any arguments
type EnvClass = new (...args: any[]) => object;

const onS3 = (env: StorageEnvVariables) => env.STORAGE_BACKEND === 's3';

/**
 * Adds the storage variables to a service's env class (`class VisionEnv extends WithStorageEnv(CommonEnv)`),
 * so they are validated with the rest, every failure reported at once:
 * - STORAGE_BACKEND: `fs` (default; the service's directory variable is the store) or `s3`;
 * - S3_BUCKET (required with s3), S3_REGION (us-east-1), S3_ENDPOINT (unset: AWS), S3_PREFIX
 *   (`vision/`: services may share a bucket), S3_FORCE_PATH_STYLE (default: true when
 *   S3_ENDPOINT is set, as MinIO-like servers expect);
 * - S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY together, or neither: then the SDK's default chain
 *   (AWS_* variables, web identity, instance profile).
 */
export function WithStorageEnv<TBase extends EnvClass>(Base: TBase) {
  class StorageEnv extends Base implements StorageEnvVariables {
    @IsIn(['fs', 's3'])
    STORAGE_BACKEND: StorageBackend = 'fs';

    @IsOptional() @IsUrl({ require_tld: false, require_protocol: true })
    S3_ENDPOINT?: string;

    @IsString() @IsNotEmpty()
    S3_REGION: string = 'us-east-1';

    @ValidateIf(onS3) @IsString() @IsNotEmpty()
    S3_BUCKET?: string;

    @IsOptional() @Matches(/^([A-Za-z0-9!_.*'()-]+\/)+$/, { message: 'S3_PREFIX is empty or segments ending with / (vision/)' })
    S3_PREFIX?: string;

    @IsOptional() @IsIn(['true', 'false'])
    S3_FORCE_PATH_STYLE?: 'true' | 'false';

    @ValidateIf((env: StorageEnvVariables) => env.S3_SECRET_ACCESS_KEY !== undefined) @IsString() @IsNotEmpty({ message: 'S3_ACCESS_KEY_ID goes with S3_SECRET_ACCESS_KEY' })
    S3_ACCESS_KEY_ID?: string;

    @ValidateIf((env: StorageEnvVariables) => env.S3_ACCESS_KEY_ID !== undefined) @IsString() @IsNotEmpty({ message: 'S3_SECRET_ACCESS_KEY goes with S3_ACCESS_KEY_ID' })
    S3_SECRET_ACCESS_KEY?: string;
  }
  return StorageEnv;
}

export function storageSettingsOf(env: StorageEnvVariables): StorageSettings {
  if (env.STORAGE_BACKEND !== 's3') return { backend: 'fs' };
  if (!env.S3_BUCKET) throw new Error('S3_BUCKET is required with STORAGE_BACKEND=s3');
  return {
    backend: 's3',
    s3: {
      endpoint: env.S3_ENDPOINT,
      region: env.S3_REGION,
      bucket: env.S3_BUCKET,
      prefix: env.S3_PREFIX ?? '',
      forcePathStyle: env.S3_FORCE_PATH_STYLE ? env.S3_FORCE_PATH_STYLE === 'true' : env.S3_ENDPOINT !== undefined,
      credentials: env.S3_ACCESS_KEY_ID && env.S3_SECRET_ACCESS_KEY ? { accessKeyId: env.S3_ACCESS_KEY_ID, secretAccessKey: env.S3_SECRET_ACCESS_KEY } : undefined,
    },
  };
}
