/**
 * The vision demo model's classes, shared by its generator (services/vision), the tests, e2e and
 * the benchmark: the 11 tools of the default toolkit, each "seen" by the demo model as a flat
 * patch of one colour. Tests and the benchmark paint these colours to get known detections.
 * The colours are pairwise at least 0.5 apart in RGB (0..1), and far from the letterbox grey
 * (114/255) and from white and black backgrounds, so JPEG noise never turns one into another.
 */
export interface DemoToolClass {
  name: string;
  /** RGB, 0..255. */
  rgb: readonly [number, number, number];
}

export const DEMO_TOOL_CLASSES: readonly DemoToolClass[] = [
  { name: 'hammer', rgb: [255, 0, 0] },
  { name: 'flat_screwdriver', rgb: [0, 255, 0] },
  { name: 'phillips_screwdriver', rgb: [0, 0, 255] },
  { name: 'adjustable_wrench', rgb: [255, 255, 0] },
  { name: 'combination_pliers', rgb: [255, 0, 255] },
  { name: 'wire_cutters', rgb: [0, 255, 255] },
  { name: 'tape_measure', rgb: [128, 0, 0] },
  { name: 'utility_knife', rgb: [0, 0, 128] },
  { name: 'hex_key_set', rgb: [0, 128, 0] },
  { name: 'torque_wrench', rgb: [128, 0, 128] },
  { name: 'voltage_tester', rgb: [0, 128, 128] },
];
