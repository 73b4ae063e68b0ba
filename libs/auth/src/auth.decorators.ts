import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Role } from '@fleet/contracts';
import { AuthUser } from './auth-user';

export const IS_PUBLIC_KEY = 'fleet:auth:public';
export const ROLES_KEY = 'fleet:auth:roles';

/** Opens a route to callers without a token (health, docs). Every other route needs one. */
export const Public = () => SetMetadata(IS_PUBLIC_KEY, true);

/** The caller needs at least one of these realm roles (403 otherwise). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** The verified caller, put on the request by the guard. */
export const CurrentUser = createParamDecorator((_: unknown, context: ExecutionContext): AuthUser | undefined => {
  return context.switchToHttp().getRequest<{ user?: AuthUser }>().user;
});
