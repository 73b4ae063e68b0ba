import { Controller, Get, Inject, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProduces } from '@nestjs/swagger';
import type { Response } from 'express';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { Roles } from '@fleet/auth';
import { Role } from '@fleet/contracts';
import { VISION_CONFIG, VisionConfig } from '../config/vision.config';
import { ANNOTATED, ANNOTATED_NAME } from './media-paths';

/**
 * Annotated images. Only names of the form the workers write (sha256 + .jpg) are looked up, and
 * only in `annotated/`: no traversal, no other file of the storage, no listing.
 */
@Controller('media')
@Roles(Role.Robot, Role.Operator)
export class MediaController {
  constructor(@Inject(VISION_CONFIG) private readonly config: VisionConfig) {}

  @Get(':filename')
  @ApiProduces('image/jpeg')
  @ApiOkResponse({ description: 'The annotated JPEG (boxes and labels drawn).', content: { 'image/jpeg': { schema: { type: 'string', format: 'binary' } } } })
  async get(@Param('filename') filename: string, @Res() res: Response): Promise<void> {
    if (!ANNOTATED_NAME.test(filename)) throw new NotFoundException('No such media file');
    const file = path.join(this.config.vision.mediaDir, ANNOTATED, filename);
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) throw new NotFoundException('No such media file');
    res.setHeader('Content-Type', 'image/jpeg');
    res.setHeader('Content-Length', String(info.size));
    res.setHeader('Cache-Control', 'private, max-age=86400, immutable');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    createReadStream(file).on('error', () => res.destroy()).pipe(res);
  }
}
