import type { components, paths } from '../generated/store';
import { serviceClient } from '../http';

/** The store service through the gateway (`/store_api`), typed from its OpenAPI document. */
export const storeApi = serviceClient<paths>('store');
export type StoreSchemas = components['schemas'];
