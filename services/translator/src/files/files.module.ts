import { Module } from '@nestjs/common';
import { FilesController } from './files.controller';
import { FilesRepository } from './files.repository';
import { FilesService } from './files.service';

/** Uploads: streamed to storage, checked by content, recorded. */
@Module({
  controllers: [FilesController],
  providers: [FilesRepository, FilesService],
  exports: [FilesRepository],
})
export class FilesModule {}
