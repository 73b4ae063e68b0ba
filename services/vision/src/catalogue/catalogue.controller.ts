import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { Roles } from '@fleet/auth';
import { Page, Role } from '@fleet/contracts';
import { PageQueryDto } from '../common/paging.dto';
import { ApiPage } from '@fleet/openapi';
import { CreateToolDto, CreateToolkitDto, ToolkitItemDto, UpdateItemDto, UpdateToolDto, UpdateToolkitDto } from './catalogue.dto';
import { ToolkitItemView, ToolkitView, ToolView } from './catalogue.view';
import { CatalogueService } from './catalogue.service';

const uuid = new ParseUUIDPipe({ version: undefined });

/** Tools: robots read them (to show the kit), operators manage them. */
@Controller('tools')
@Roles(Role.Operator)
export class ToolsController {
  constructor(private readonly catalogue: CatalogueService) {}

  @Get() @Roles(Role.Operator, Role.Robot) @ApiPage(ToolView)
  list(@Query() page: PageQueryDto): Promise<Page<ToolView>> {
    return this.catalogue.listTools(page);
  }

  @Get(':id') @Roles(Role.Operator, Role.Robot)
  get(@Param('id', uuid) id: string): Promise<ToolView> {
    return this.catalogue.getTool(id);
  }

  @Post()
  create(@Body() dto: CreateToolDto): Promise<ToolView> {
    return this.catalogue.createTool(dto);
  }

  @Patch(':id')
  update(@Param('id', uuid) id: string, @Body() dto: UpdateToolDto): Promise<ToolView> {
    return this.catalogue.updateTool(id, dto);
  }

  @Delete(':id') @HttpCode(204)
  remove(@Param('id', uuid) id: string): Promise<void> {
    return this.catalogue.deleteTool(id);
  }
}

@Controller('toolkits')
@Roles(Role.Operator)
export class ToolkitsController {
  constructor(private readonly catalogue: CatalogueService) {}

  @Get() @Roles(Role.Operator, Role.Robot) @ApiPage(ToolkitView)
  list(@Query() page: PageQueryDto): Promise<Page<ToolkitView>> {
    return this.catalogue.listToolkits(page);
  }

  @Get(':id') @Roles(Role.Operator, Role.Robot)
  get(@Param('id', uuid) id: string): Promise<ToolkitView> {
    return this.catalogue.getToolkit(id);
  }

  @Post()
  create(@Body() dto: CreateToolkitDto): Promise<ToolkitView> {
    return this.catalogue.createToolkit(dto);
  }

  @Patch(':id')
  update(@Param('id', uuid) id: string, @Body() dto: UpdateToolkitDto): Promise<ToolkitView> {
    return this.catalogue.updateToolkit(id, dto);
  }

  @Delete(':id') @HttpCode(204)
  remove(@Param('id', uuid) id: string): Promise<void> {
    return this.catalogue.deleteToolkit(id);
  }

  @Post(':id/items')
  addItem(@Param('id', uuid) id: string, @Body() dto: ToolkitItemDto): Promise<ToolkitItemView> {
    return this.catalogue.addItem(id, dto);
  }

  @Patch(':id/items/:itemId')
  updateItem(@Param('id', uuid) id: string, @Param('itemId', uuid) itemId: string, @Body() dto: UpdateItemDto): Promise<ToolkitItemView> {
    return this.catalogue.updateItem(id, itemId, dto);
  }

  @Delete(':id/items/:itemId') @HttpCode(204)
  removeItem(@Param('id', uuid) id: string, @Param('itemId', uuid) itemId: string): Promise<void> {
    return this.catalogue.deleteItem(id, itemId);
  }
}
