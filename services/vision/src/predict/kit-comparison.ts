import type { Detection } from '@fleet/contracts';

/** What a toolkit should hold, per detector class. */
export interface KitExpectation {
  className: string;
  /** Tool names of the kit with this class, for people reading the result. */
  tools: string[];
  quantity: number;
}

export interface KitLine {
  class_name: string;
  tools: string[];
  expected: number;
  found: number;
  missing: number;
  extra: number;
  /** Lowest confidence among the found ones (null when none was found). */
  confidence: number | null;
}

export interface KitComparison {
  toolkit_id: string;
  complete: boolean;
  expected_total: number;
  found_total: number;
  missing_total: number;
  extra_total: number;
  lines: KitLine[];
}

/**
 * Compares detections with a kit. With several photos of the same kit each one is a view of the
 * whole kit, so a class counts as found as many times as the photo showing most of it.
 */
export function compareKit(toolkitId: string, expected: readonly KitExpectation[], photos: ReadonlyArray<readonly Detection[]>): KitComparison {
  const found = new Map<string, Detection[]>();
  for (const detections of photos) {
    const perClass = new Map<string, Detection[]>();
    for (const d of detections) perClass.set(d.class_name, [...(perClass.get(d.class_name) ?? []), d]);
    for (const [name, list] of perClass) if (list.length > (found.get(name)?.length ?? 0)) found.set(name, list);
  }
  const lines: KitLine[] = expected.map((e) => line(e.className, e.tools, e.quantity, found.get(e.className) ?? []));
  for (const [name, list] of found) if (!expected.some((e) => e.className === name)) lines.push(line(name, [], 0, list));
  const sum = (key: 'expected' | 'found' | 'missing' | 'extra') => lines.reduce((total, l) => total + l[key], 0);
  return {
    toolkit_id: toolkitId,
    complete: sum('missing') === 0 && sum('extra') === 0,
    expected_total: sum('expected'),
    found_total: sum('found'),
    missing_total: sum('missing'),
    extra_total: sum('extra'),
    lines,
  };
}

function line(className: string, tools: string[], expected: number, detections: Detection[]): KitLine {
  const found = detections.length;
  return {
    class_name: className,
    tools,
    expected,
    found,
    missing: Math.max(expected - found, 0),
    extra: Math.max(found - expected, 0),
    confidence: found ? Math.min(...detections.map((d) => d.confidence)) : null,
  };
}
