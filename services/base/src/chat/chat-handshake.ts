import type { IncomingMessage } from 'node:http';
import { Injectable, Logger } from '@nestjs/common';
import { AuthUser, bearerFromHeader, InvalidTokenError, TokenVerifier } from '@fleet/auth';
import { ChatCloseCode, Role } from '@fleet/contracts';

/** Roles that may chat (and read history). Drones have no chat. */
export const CHAT_ROLES: readonly Role[] = [Role.Operator, Role.Admin, Role.Robot];

export type HandshakeResult =
  | { ok: true; user: AuthUser; afterSeq: number | undefined; badAfterSeq: boolean }
  | { ok: false; code: ChatCloseCode; reason: string };

/**
 * Who is on the other end of a new socket. Browsers cannot set headers on a WebSocket, so the
 * token may come as `?access_token=`; a header, when present, wins. The token never reaches a log.
 */
@Injectable()
export class ChatHandshake {
  private readonly logger = new Logger(ChatHandshake.name);

  constructor(private readonly verifier: TokenVerifier) {}

  async authenticate(request: IncomingMessage): Promise<HandshakeResult> {
    const query = new URL(request.url ?? '/', 'http://localhost').searchParams;
    const header = request.headers.authorization;
    const token = header !== undefined ? bearerFromHeader(header) : (query.get('access_token') ?? undefined);
    let user: AuthUser;
    try {
      user = await this.verifier.verify(token);
    } catch (error) {
      if (error instanceof InvalidTokenError) return { ok: false, code: ChatCloseCode.Unauthorized, reason: error.message };
      this.logger.error(`token check failed: ${error instanceof Error ? error.message : error}`);
      return { ok: false, code: ChatCloseCode.TryAgainLater, reason: 'cannot check tokens right now' };
    }
    if (!CHAT_ROLES.some((role) => user.roles.includes(role))) {
      return { ok: false, code: ChatCloseCode.Forbidden, reason: `chat needs one of the roles: ${CHAT_ROLES.join(', ')}` };
    }
    const raw = query.get('after_seq');
    const afterSeq = raw !== null && /^\d{1,15}$/.test(raw) ? Number(raw) : undefined;
    return { ok: true, user, afterSeq, badAfterSeq: raw !== null && afterSeq === undefined };
  }
}
