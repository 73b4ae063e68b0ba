import type { DeploySettings } from '../settings.js';

/** compose's image of a service folder (`docker build --build-arg SERVICE=<service>`), pushed to your registry. */
export const imageOf = (settings: DeploySettings, service: string): string => `${settings.imageRegistry}/${service}:${settings.imageTag}`;

/** The script a process kind runs (the Dockerfile's WORKDIR is /app). */
export const commandOf = (service: string, entry: string): string[] => ['node', `services/${service}/dist/${entry}`];
