import { Module } from '@nestjs/common';
import { MediaController } from './media.controller';
import { MediaJanitor } from './media-janitor';

/** Annotated images served from shared storage, and the janitor that clears what is no longer needed. */
@Module({
  controllers: [MediaController],
  providers: [MediaJanitor],
})
export class MediaModule {}
