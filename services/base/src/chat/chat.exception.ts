import { ChatErrorCode } from '@fleet/contracts';

/**
 * A chat rule said no. The WebSocket side turns it into an error frame for that client only;
 * the HTTP side into a status (ChatHttpExceptionFilter).
 */
export class ChatException extends Error {
  constructor(
    readonly code: ChatErrorCode,
    message: string,
    readonly room?: string,
  ) {
    super(message);
    this.name = 'ChatException';
  }
}
