import { PageQuery } from '@fleet/openapi';

export const PAGE_DEFAULT_LIMIT = 100;
export const PAGE_MAX_LIMIT = 500;

/** `?limit=&offset=` of every list route of this service (README, "API conventions"). */
export class PageQueryDto extends PageQuery({ defaultLimit: PAGE_DEFAULT_LIMIT, maxLimit: PAGE_MAX_LIMIT }) {}
