import { Module } from '@nestjs/common';
import { FilesModule } from '../files/files.module';
import { JobChangeFeed } from './job-change-feed';
import { JobEvents } from './job-events';
import { JobEventsController } from './job-events.controller';
import { JobRunner } from './job-runner';
import { JobsController } from './jobs.controller';
import { JobsRepository } from './jobs.repository';
import { JobsService } from './jobs.service';

/** Translation jobs: the API, their progress stream, and the orchestrator that drives them through the worker pool. */
@Module({
  imports: [FilesModule],
  controllers: [JobsController, JobEventsController],
  providers: [JobsRepository, JobsService, JobRunner, JobChangeFeed, JobEvents],
})
export class JobsModule {}
