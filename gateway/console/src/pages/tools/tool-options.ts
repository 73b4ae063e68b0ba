import type { Tool } from './tools-queries';

/** How a tool reads in a select: its name, what the detector calls it, and its serial number. */
export function toolLabel(tool: Tool): string {
  return `${tool.name} · ${tool.class_name} · ${tool.serial_number}`;
}

export function toolOptions(tools: readonly Tool[], except: ReadonlySet<string> = new Set()) {
  return tools.filter((tool) => !except.has(tool.id)).map((tool) => ({ value: tool.id, label: toolLabel(tool) }));
}
