import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ToolkitsController, ToolsController } from './catalogue.controller';
import { CatalogueRepository } from './catalogue.repository';
import { CatalogueService } from './catalogue.service';
import { ToolEntity } from './tool.entity';
import { ToolkitEntity, ToolkitItemEntity } from './toolkit.entity';

/** Tools and toolkits (with the default kit seeded on first start). */
@Module({
  imports: [TypeOrmModule.forFeature([ToolEntity, ToolkitEntity, ToolkitItemEntity])],
  controllers: [ToolsController, ToolkitsController],
  providers: [CatalogueRepository, CatalogueService],
  exports: [CatalogueService],
})
export class CatalogueModule {}
