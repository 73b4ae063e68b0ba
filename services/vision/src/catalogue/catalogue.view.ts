import type { ToolEntity } from './tool.entity';
import type { ToolkitEntity, ToolkitItemEntity } from './toolkit.entity';

/** A tool of the catalogue (one physical, serial-numbered tool). */
export class ToolView {
  id!: string;
  name!: string;
  serial_number!: string;
  category!: string;
  /** The detector's label for this tool: what a kit check counts it as. */
  class_name!: string;
  created_at!: string;
  updated_at!: string;
}

/** One line of a toolkit: a tool and how many of it the kit holds. */
export class ToolkitItemView {
  id!: string;
  tool!: ToolView;
  quantity!: number;
}

/** A toolkit with its items, sorted by tool name. */
export class ToolkitView {
  id!: string;
  name!: string;
  description!: string;
  items!: ToolkitItemView[];
  created_at!: string;
  updated_at!: string;
}

export function mapTool(tool: ToolEntity): ToolView {
  return {
    id: tool.id,
    name: tool.name,
    serial_number: tool.serialNumber,
    category: tool.category,
    class_name: tool.className,
    created_at: tool.createdAt.toISOString(),
    updated_at: tool.updatedAt.toISOString(),
  };
}

export function mapItem(item: ToolkitItemEntity): ToolkitItemView {
  return { id: item.id, tool: mapTool(item.tool!), quantity: item.quantity };
}

export function mapToolkit(toolkit: ToolkitEntity): ToolkitView {
  return {
    id: toolkit.id,
    name: toolkit.name,
    description: toolkit.description,
    items: (toolkit.items ?? []).map(mapItem).sort((a, b) => a.tool.name.localeCompare(b.tool.name)),
    created_at: toolkit.createdAt.toISOString(),
    updated_at: toolkit.updatedAt.toISOString(),
  };
}
