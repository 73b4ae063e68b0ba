import { ArgumentsHost, Catch, Controller, ExceptionFilter, HttpException, Post, Req, Res, UseFilters } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Role, TranslatorEnvelope, UploadedFileData } from '@fleet/contracts';
import { AuthUser, CurrentUser, Roles } from '@fleet/auth';
import { FilesService } from './files.service';
import { UploadError } from './upload-error';

function sendEnvelope(res: Response, status: number, body: TranslatorEnvelope<UploadedFileData>): void {
  if (status === 413) {
    // The client may still be sending: answer now and close, instead of reading the rest.
    res.setHeader('connection', 'close');
    res.on('finish', () => res.req.destroy());
  }
  res.status(status).json(body);
}

/** Every error of the upload route (auth included) in the upload envelope. */
@Catch()
export class UploadEnvelopeFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    if (res.headersSent) return;
    let status = 500;
    let message = 'Internal error while storing the upload';
    if (exception instanceof UploadError) {
      status = exception.status;
      message = exception.message;
    } else if (exception instanceof HttpException) {
      status = exception.getStatus();
      const response = exception.getResponse();
      message = typeof response === 'string' ? response : String((response as { message?: unknown }).message ?? exception.message);
    }
    sendEnvelope(res, status, { status: 'error', message: 'Upload refused', error: message });
  }
}

@Controller('files')
@Roles(Role.Operator)
@UseFilters(UploadEnvelopeFilter)
export class FilesController {
  constructor(private readonly files: FilesService) {}

  @Post('upload')
  async upload(@Req() req: Request, @Res() res: Response, @CurrentUser() user: AuthUser): Promise<void> {
    const data = await this.files.upload(req, user.sub);
    sendEnvelope(res, 201, { status: 'success', message: 'File uploaded', data });
  }
}
