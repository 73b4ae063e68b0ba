import { Transform } from 'class-transformer';
import { PageQuery } from '@fleet/openapi';

export const PAGE_DEFAULT_LIMIT = 50;
export const PAGE_MAX_LIMIT = 500;

/** `?limit=&offset=` of every list route of this service (README, "API conventions"). */
export class PageQueryDto extends PageQuery({ defaultLimit: PAGE_DEFAULT_LIMIT, maxLimit: PAGE_MAX_LIMIT }) {}

/** Query strings carry text: "true"/"false" become booleans, anything else stays and fails @IsBoolean. */
export const ToBoolean = () => Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value));
