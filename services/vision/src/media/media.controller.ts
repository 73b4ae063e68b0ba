import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProduces } from '@nestjs/swagger';
import type { Response } from 'express';
import { Roles } from '@fleet/auth';
import { Role } from '@fleet/contracts';
import { AnnotatedMedia } from './annotated-media';
import { ANNOTATED_NAME } from './media-paths';

/**
 * Annotated images. Only names of the form the workers write (sha256 + .jpg) are looked up, and
 * only in `annotated/`: no traversal, no other file of the storage, no listing. One announced by a
 * worker that has not stored it yet is waited for (AnnotatedMedia), so a predict answer's URL works
 * as soon as the answer arrives.
 */
@Controller('media')
@Roles(Role.Robot, Role.Operator)
export class MediaController {
  constructor(private readonly media: AnnotatedMedia) {}

  @Get(':filename')
  @ApiProduces('image/jpeg')
  @ApiOkResponse({ description: 'The annotated JPEG (boxes and labels drawn).', content: { 'image/jpeg': { schema: { type: 'string', format: 'binary' } } } })
  async get(@Param('filename') filename: string, @Res() res: Response): Promise<void> {
    if (!ANNOTATED_NAME.test(filename)) throw new NotFoundException('No such media file');
    const image = await this.media.open(filename);
    if (!image) throw new NotFoundException('No such media file');
    const { size, body } = image;
    res.setHeader('Content-Type', 'image/jpeg');
    res.setHeader('Content-Length', String(size));
    res.setHeader('Cache-Control', 'private, max-age=86400, immutable');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    body.on('error', () => res.destroy()).pipe(res);
  }
}
