import { cachedLoader, CommonEnv, FleetConfig, toFleetConfig, validateEnv } from '@fleet/config';

/** base reads only the common variables today; its own ones go here. */
export class BaseEnv extends CommonEnv {
  override DATABASE_URL: string = 'postgres://svc_base:svc_base@127.0.0.1:5432/fleet';
}

export type BaseConfig = FleetConfig;

export const BASE_CONFIG = Symbol('BASE_CONFIG');

const loader = cachedLoader(() => toFleetConfig('base', validateEnv(BaseEnv)));
export const loadBaseConfig = loader.get;
export const clearBaseConfigCache = loader.clear;
