import { ConflictException, Inject, Injectable, Logger, NotFoundException, OnApplicationBootstrap } from '@nestjs/common';
import { VISION_CONFIG, VisionConfig } from '../config/vision.config';
import type { KitExpectation } from '../predict/kit-comparison';
import type { Page } from '@fleet/contracts';
import { DatabaseConflictCode, isConflict, PageRequest, toPage } from '@fleet/database';
import { CatalogueRepository } from './catalogue.repository';
import { CreateToolDto, CreateToolkitDto, ToolkitItemDto, UpdateItemDto, UpdateToolDto, UpdateToolkitDto } from './catalogue.dto';
import { mapItem, mapTool, mapToolkit, ToolkitItemView, ToolkitView, ToolView } from './catalogue.view';
import { DEFAULT_TOOLKIT, DEFAULT_TOOLS } from './default-toolkit';

/** Tools, toolkits and their items (operator CRUD), the default seed, and what a kit should hold. */
@Injectable()
export class CatalogueService implements OnApplicationBootstrap {
  private readonly logger = new Logger(CatalogueService.name);

  constructor(
    private readonly repository: CatalogueRepository,
    @Inject(VISION_CONFIG) private readonly config: VisionConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.vision.seedDefaultToolkit) await this.seedDefaultToolkit();
  }

  /** Seeds the default kit when the catalogue has no toolkit at all (first start); never again after. */
  async seedDefaultToolkit(): Promise<boolean> {
    return this.repository.withSeedLock(async () => {
      if ((await this.repository.countToolkits()) > 0) return false;
      const tools = DEFAULT_TOOLS.map((t) => ({ name: t.name, serialNumber: t.serial, category: t.category, className: t.className }));
      const id = await this.repository.createToolkitWithTools(DEFAULT_TOOLKIT, tools, tools.map((_, i) => ({ toolIndex: i, quantity: 1 })));
      this.logger.log(`Seeded the default toolkit ${id} with ${tools.length} tools`);
      return true;
    });
  }

  async listTools(page: PageRequest): Promise<Page<ToolView>> {
    const [rows, total] = await this.repository.getToolPage(page);
    return toPage(rows.map(mapTool), total, page);
  }

  async getTool(id: string): Promise<ToolView> {
    return mapTool(await this.toolOrFail(id));
  }

  async createTool(dto: CreateToolDto): Promise<ToolView> {
    const tool = await this.unique(() => this.repository.saveTool({ name: dto.name, serialNumber: dto.serial_number, category: dto.category, className: dto.class_name ?? dto.category }), `serial number ${dto.serial_number}`);
    return mapTool(tool);
  }

  async updateTool(id: string, dto: UpdateToolDto): Promise<ToolView> {
    const tool = await this.toolOrFail(id);
    const changed = {
      ...tool,
      name: dto.name ?? tool.name,
      serialNumber: dto.serial_number ?? tool.serialNumber,
      category: dto.category ?? tool.category,
      className: dto.class_name ?? tool.className,
    };
    return mapTool(await this.unique(() => this.repository.saveTool(changed), `serial number ${changed.serialNumber}`));
  }

  async deleteTool(id: string): Promise<void> {
    try {
      if (!(await this.repository.deleteTool(id))) throw new NotFoundException(`Tool ${id} not found`);
    } catch (error) {
      if (isConflict(error, DatabaseConflictCode.Reference)) throw new ConflictException(`Tool ${id} is part of a toolkit; remove it from the kit first`);
      throw error;
    }
  }

  async listToolkits(page: PageRequest): Promise<Page<ToolkitView>> {
    const [rows, total] = await this.repository.getToolkitPage(page);
    return toPage(rows.map(mapToolkit), total, page);
  }

  async getToolkit(id: string): Promise<ToolkitView> {
    return mapToolkit(await this.toolkitOrFail(id));
  }

  async createToolkit(dto: CreateToolkitDto): Promise<ToolkitView> {
    const items = dto.items ?? [];
    for (const item of items) await this.toolOrFail(item.tool_id);
    const id = await this.unique(
      () => this.repository.createToolkitWithTools({ name: dto.name, description: dto.description ?? '' }, [], items.map((i) => ({ toolId: i.tool_id, quantity: i.quantity ?? 1 }))),
      `toolkit name "${dto.name}" or a repeated tool`,
    );
    return this.getToolkit(id);
  }

  async updateToolkit(id: string, dto: UpdateToolkitDto): Promise<ToolkitView> {
    const toolkit = await this.toolkitOrFail(id);
    await this.unique(() => this.repository.saveToolkit({ id, name: dto.name ?? toolkit.name, description: dto.description ?? toolkit.description }), `toolkit name "${dto.name}"`);
    return this.getToolkit(id);
  }

  async deleteToolkit(id: string): Promise<void> {
    try {
      if (!(await this.repository.deleteToolkit(id))) throw new NotFoundException(`Toolkit ${id} not found`);
    } catch (error) {
      if (isConflict(error, DatabaseConflictCode.Reference)) throw new ConflictException(`Toolkit ${id} has transactions and cannot be deleted`);
      throw error;
    }
  }

  async addItem(toolkitId: string, dto: ToolkitItemDto): Promise<ToolkitItemView> {
    await this.toolkitOrFail(toolkitId);
    const tool = await this.toolOrFail(dto.tool_id);
    const item = await this.unique(() => this.repository.saveItem({ toolkitId, toolId: tool.id, quantity: dto.quantity ?? 1 }), `tool ${tool.id} already in this kit`);
    return mapItem({ ...item, tool });
  }

  async updateItem(toolkitId: string, itemId: string, dto: UpdateItemDto): Promise<ToolkitItemView> {
    const item = await this.repository.getItem(toolkitId, itemId);
    if (!item) throw new NotFoundException(`Item ${itemId} not found in toolkit ${toolkitId}`);
    const saved = await this.repository.saveItem({ ...item, quantity: dto.quantity });
    return mapItem({ ...saved, tool: item.tool });
  }

  async deleteItem(toolkitId: string, itemId: string): Promise<void> {
    if (!(await this.repository.deleteItem(toolkitId, itemId))) throw new NotFoundException(`Item ${itemId} not found in toolkit ${toolkitId}`);
  }

  /** What the kit should hold, per detector class; undefined for an unknown kit. */
  async expectationsOf(toolkitId: string): Promise<KitExpectation[] | undefined> {
    const toolkit = await this.repository.getToolkitById(toolkitId);
    if (!toolkit) return undefined;
    const byClass = new Map<string, KitExpectation>();
    for (const item of toolkit.items ?? []) {
      const className = item.tool!.className;
      const line = byClass.get(className) ?? { className, tools: [], quantity: 0 };
      line.tools.push(item.tool!.name);
      line.quantity += item.quantity;
      byClass.set(className, line);
    }
    return [...byClass.values()].sort((a, b) => a.className.localeCompare(b.className));
  }

  private async toolOrFail(id: string) {
    const tool = await this.repository.getToolById(id);
    if (!tool) throw new NotFoundException(`Tool ${id} not found`);
    return tool;
  }

  private async toolkitOrFail(id: string) {
    const toolkit = await this.repository.getToolkitById(id);
    if (!toolkit) throw new NotFoundException(`Toolkit ${id} not found`);
    return toolkit;
  }

  private async unique<T>(work: () => Promise<T>, what: string): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (isConflict(error, DatabaseConflictCode.Duplicate)) throw new ConflictException(`Already exists: ${what}`);
      throw error;
    }
  }
}
