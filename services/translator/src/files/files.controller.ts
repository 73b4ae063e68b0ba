import { ArgumentsHost, Catch, Controller, ExceptionFilter, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiBody, ApiConsumes } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Role, TranslatorEnvelope, UploadedFileData } from '@fleet/contracts';
import { AuthUser, CurrentUser, Roles } from '@fleet/auth';
import { currentRequestId } from '@fleet/openapi';
import { ApiEnvelope } from '../common/api-envelope';
import { errorEnvelope } from '../common/envelope';
import { UploadedFileView } from './file.view';
import { FilesService } from './files.service';
import { UploadError } from './upload-error';

const DRAIN_BEFORE_CLOSE_MS = 1000;

function sendEnvelope(res: Response, status: number, body: TranslatorEnvelope<UploadedFileData>): void {
  if (status === 413) {
    // The client may still be sending. Answer now; Node then reads and drops the rest, and a
    // second later we cut the connection if the body is still coming. Closing at once would
    // make the kernel reset a socket with unread bytes, and the reset can reach the gateway
    // before our answer does (it would then answer 502 instead of our 413).
    res.on('finish', () => {
      const req = res.req;
      setTimeout(() => {
        if (!req.complete) req.socket.destroy();
      }, DRAIN_BEFORE_CLOSE_MS).unref();
    });
  }
  res.status(status).json(body);
}

/** Every error of the upload route (auth included) in the upload envelope. */
@Catch()
export class UploadEnvelopeFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    if (res.headersSent) return;
    const requestId = currentRequestId(res);
    if (exception instanceof UploadError) return sendEnvelope(res, exception.status, { status: 'error', message: 'Upload refused', error: exception.message, request_id: requestId });
    const { statusCode, body } = errorEnvelope(exception, requestId, 'Upload refused');
    sendEnvelope(res, statusCode, body);
  }
}

@Controller('files')
@Roles(Role.Operator)
@UseFilters(UploadEnvelopeFilter)
export class FilesController {
  constructor(private readonly files: FilesService) {}

  /** Streams the file to storage (never into memory); ffprobe must find audio in it. */
  @Post('upload')
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary', description: 'A video or audio file with speech' } } } })
  @ApiEnvelope(UploadedFileView, { status: 201, message: 'File uploaded', description: 'Stored; refusals are 400, 413 (too large), 415 (not media) or 422 (no audio)' })
  async upload(@Req() req: Request, @Res() res: Response, @CurrentUser() user: AuthUser): Promise<void> {
    const data = await this.files.upload(req, user.sub);
    sendEnvelope(res, 201, { status: 'success', message: 'File uploaded', data });
  }
}
