import { ArgumentsHost, Catch, ExceptionFilter, HttpStatus } from '@nestjs/common';
import type { Response } from 'express';
import { ChatErrorCode } from '@fleet/contracts';
import { currentRequestId } from '@fleet/openapi';
import { ChatException } from './chat.exception';

const STATUS: Partial<Record<ChatErrorCode, HttpStatus>> = {
  [ChatErrorCode.UnknownRoom]: HttpStatus.NOT_FOUND,
  [ChatErrorCode.RoomExists]: HttpStatus.CONFLICT,
  [ChatErrorCode.Unavailable]: HttpStatus.SERVICE_UNAVAILABLE,
};

/** ChatException on the HTTP side: the fleet's error body (README, "API conventions"), plus the chat error code. */
@Catch(ChatException)
export class ChatHttpExceptionFilter implements ExceptionFilter {
  catch(exception: ChatException, host: ArgumentsHost): void {
    const status = STATUS[exception.code] ?? HttpStatus.BAD_REQUEST;
    const error = status === HttpStatus.BAD_REQUEST ? 'Bad Request' : HttpStatus[status].split('_').map((w) => w[0] + w.slice(1).toLowerCase()).join(' ');
    const res = host.switchToHttp().getResponse<Response>();
    res.status(status).json({ statusCode: status, error, message: exception.message, code: exception.code, request_id: currentRequestId(res) });
  }
}
