import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EngineerEntity } from './engineer.entity';
import { EngineerEventsController } from './engineer-events.controller';
import { EngineersRepository } from './engineers.repository';

/** Engineers mirrored from base's engineer events (vision's own durable event queue). */
@Module({
  imports: [TypeOrmModule.forFeature([EngineerEntity])],
  controllers: [EngineerEventsController],
  providers: [EngineersRepository],
  exports: [EngineersRepository],
})
export class EngineersModule {}
