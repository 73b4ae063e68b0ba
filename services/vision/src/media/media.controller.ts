import { Controller, Get, Inject, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProduces } from '@nestjs/swagger';
import type { Response } from 'express';
import { Roles } from '@fleet/auth';
import { Role } from '@fleet/contracts';
import type { ObjectStore } from '@fleet/storage';
import { ANNOTATED_NAME, annotatedKey } from './media-paths';
import { VISION_STORE } from './vision-store';

/**
 * Annotated images. Only names of the form the workers write (sha256 + .jpg) are looked up, and
 * only in `annotated/`: no traversal, no other file of the storage, no listing.
 */
@Controller('media')
@Roles(Role.Robot, Role.Operator)
export class MediaController {
  constructor(@Inject(VISION_STORE) private readonly store: ObjectStore) {}

  @Get(':filename')
  @ApiProduces('image/jpeg')
  @ApiOkResponse({ description: 'The annotated JPEG (boxes and labels drawn).', content: { 'image/jpeg': { schema: { type: 'string', format: 'binary' } } } })
  async get(@Param('filename') filename: string, @Res() res: Response): Promise<void> {
    if (!ANNOTATED_NAME.test(filename)) throw new NotFoundException('No such media file');
    const key = annotatedKey(filename);
    const info = await this.store.stat(key);
    const body = info && (await this.store.open(key));
    if (!info || !body) throw new NotFoundException('No such media file');
    res.setHeader('Content-Type', 'image/jpeg');
    res.setHeader('Content-Length', String(info.size));
    res.setHeader('Cache-Control', 'private, max-age=86400, immutable');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    body.on('error', () => res.destroy()).pipe(res);
  }
}
