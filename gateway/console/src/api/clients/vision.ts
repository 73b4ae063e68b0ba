import type { components, paths } from '../generated/vision';
import { serviceClient } from '../http';

/** The vision service through the gateway (`/vision_api`), typed from its OpenAPI document. */
export const visionApi = serviceClient<paths>('vision');
export type VisionSchemas = components['schemas'];
