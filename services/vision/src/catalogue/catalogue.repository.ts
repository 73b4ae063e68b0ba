import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { writeOrConflict } from '@fleet/database';
import { ToolEntity } from './tool.entity';
import { ToolkitEntity, ToolkitItemEntity } from './toolkit.entity';

/**
 * The only place the catalogue touches TypeORM. Writes that break a key (a taken serial number or
 * name, a tool still in a kit) throw a DatabaseConflict, which the service turns into a 409.
 */
@Injectable()
export class CatalogueRepository {
  constructor(
    @InjectRepository(ToolEntity) private readonly tools: Repository<ToolEntity>,
    @InjectRepository(ToolkitEntity) private readonly toolkits: Repository<ToolkitEntity>,
    @InjectRepository(ToolkitItemEntity) private readonly items: Repository<ToolkitItemEntity>,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** By name, and the count of all tools. */
  getToolPage(page: { limit: number; offset: number }): Promise<[ToolEntity[], number]> {
    return this.tools.findAndCount({ order: { name: 'ASC', id: 'ASC' }, take: page.limit, skip: page.offset });
  }

  getToolById(id: string): Promise<ToolEntity | null> {
    return this.tools.findOneBy({ id });
  }

  saveTool(tool: Partial<ToolEntity>): Promise<ToolEntity> {
    return writeOrConflict(() => this.tools.save(this.tools.create(tool)));
  }

  async deleteTool(id: string): Promise<boolean> {
    return ((await writeOrConflict(() => this.tools.delete({ id }))).affected ?? 0) > 0;
  }

  /** By name, with their items, and the count of all toolkits. */
  getToolkitPage(page: { limit: number; offset: number }): Promise<[ToolkitEntity[], number]> {
    return this.toolkits.findAndCount({ relations: { items: { tool: true } }, order: { name: 'ASC', id: 'ASC' }, take: page.limit, skip: page.offset });
  }

  getToolkitById(id: string): Promise<ToolkitEntity | null> {
    return this.toolkits.findOne({ where: { id }, relations: { items: { tool: true } } });
  }

  countToolkits(): Promise<number> {
    return this.toolkits.count();
  }

  saveToolkit(toolkit: Partial<ToolkitEntity>): Promise<ToolkitEntity> {
    return writeOrConflict(() => this.toolkits.save(this.toolkits.create(toolkit)));
  }

  async deleteToolkit(id: string): Promise<boolean> {
    return ((await writeOrConflict(() => this.toolkits.delete({ id }))).affected ?? 0) > 0;
  }

  saveItem(item: Partial<ToolkitItemEntity>): Promise<ToolkitItemEntity> {
    return writeOrConflict(() => this.items.save(this.items.create(item)));
  }

  getItem(toolkitId: string, itemId: string): Promise<ToolkitItemEntity | null> {
    return this.items.findOneBy({ id: itemId, toolkitId });
  }

  async deleteItem(toolkitId: string, itemId: string): Promise<boolean> {
    return ((await this.items.delete({ id: itemId, toolkitId })).affected ?? 0) > 0;
  }

  /** Creates a toolkit with its tools and items in one transaction (the seed, and POST with items). */
  async createToolkitWithTools(toolkit: Partial<ToolkitEntity>, tools: Array<Partial<ToolEntity>>, items: Array<{ toolIndex?: number; toolId?: string; quantity: number }>): Promise<string> {
    return writeOrConflict(() => this.dataSource.transaction(async (manager) => {
      const savedKit = await manager.save(manager.create(ToolkitEntity, toolkit));
      const savedTools = tools.length ? await manager.save(tools.map((t) => manager.create(ToolEntity, t))) : [];
      for (const item of items) {
        const toolId = item.toolId ?? savedTools[item.toolIndex ?? -1]?.id;
        await manager.save(manager.create(ToolkitItemEntity, { toolkitId: savedKit.id, toolId, quantity: item.quantity }));
      }
      return savedKit.id;
    }));
  }

  /** Session-level advisory lock around the seed, so replicas starting together seed once. */
  async withSeedLock<T>(work: () => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.query(`SELECT pg_advisory_lock(hashtext('vision.seed'))`);
      return await work();
    } finally {
      await runner.query(`SELECT pg_advisory_unlock(hashtext('vision.seed'))`).catch(() => undefined);
      await runner.release();
    }
  }
}
