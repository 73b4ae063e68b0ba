import type { components, paths } from '../generated/translator';
import { serviceClient } from '../http';

/** The translator service through the gateway (`/translator_api`), typed from its OpenAPI document. */
export const translatorApi = serviceClient<paths>('translator');
export type TranslatorSchemas = components['schemas'];
