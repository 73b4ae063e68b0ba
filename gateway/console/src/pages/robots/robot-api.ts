import type { BaseSchemas } from '../../api/clients/base';
import type { paths } from '../../api/generated/base';

export type RobotView = BaseSchemas['RobotView'];
export type RobotCredentials = BaseSchemas['RobotCredentialsView'];
export type RobotState = NonNullable<RobotView['last_status']>['state'];
export type RobotListQuery = NonNullable<paths['/admin/robots']['get']['parameters']['query']>;

export const robotKeys = {
  all: ['base', 'robots'] as const,
  list: (query: RobotListQuery) => ['base', 'robots', 'list', query] as const,
};

export const PAGE_SIZE = 25;
/** How often the registry asks for the robots' live state. */
export const LIVE_INTERVAL_MS = 2_000;

export const STATE_COLOR: Record<RobotState, string> = { idle: 'blue', busy: 'violet', charging: 'teal', error: 'red', maintenance: 'orange' };
