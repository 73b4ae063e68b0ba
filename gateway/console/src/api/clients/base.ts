import type { components, paths } from '../generated/base';
import { serviceClient } from '../http';

/** The base service through the gateway (`/base_api`), typed from its OpenAPI document. */
export const baseApi = serviceClient<paths>('base');
export type BaseSchemas = components['schemas'];
