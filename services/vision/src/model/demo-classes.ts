import { DEMO_TOOL_CLASSES, DemoToolClass } from '@fleet/contracts';

/** The demo model's classes, in class-id order: one colour per tool of the default kit. */
export const DEMO_CLASSES: readonly DemoToolClass[] = DEMO_TOOL_CLASSES;

/** Bumped whenever the generated graph changes; part of the model version and so of cache keys. */
export const DEMO_MODEL_REVISION = 1;
export const DEMO_MODEL_INPUT = 640;
/** Grid cell of the demo model, in input pixels: objects aligned to it are detected exactly. */
export const DEMO_MODEL_CELL = 16;
/** Window sizes (input pixels) and strides of its two detection scales. */
export const DEMO_MODEL_SCALES = [
  { window: 64, stride: 16 },
  { window: 128, stride: 32 },
] as const;
