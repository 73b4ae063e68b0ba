import { Module } from '@nestjs/common';
import type Redis from 'ioredis';
import { REDIS } from '@fleet/redis';
import { AnnotatedMedia } from './annotated-media';
import { MediaController } from './media.controller';
import { MediaJanitor } from './media-janitor';
import { PendingAnnotations } from './pending-annotations';

/** Annotated images served from shared storage, and the janitor that clears what is no longer needed. */
@Module({
  controllers: [MediaController],
  providers: [MediaJanitor, AnnotatedMedia, { provide: PendingAnnotations, inject: [REDIS], useFactory: (redis: Redis) => new PendingAnnotations(redis) }],
})
export class MediaModule {}
