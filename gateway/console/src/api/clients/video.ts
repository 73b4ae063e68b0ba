import type { components, paths } from '../generated/video';
import { serviceClient } from '../http';

/** The video service through the gateway (`/video_api`), typed from its OpenAPI document. */
export const videoApi = serviceClient<paths>('video');
export type VideoSchemas = components['schemas'];
