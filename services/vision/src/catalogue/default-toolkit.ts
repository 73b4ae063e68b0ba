/**
 * The toolkit seeded into an empty catalogue: a railway maintenance kit of 11 tools, one of each.
 * `className` is the detector's label (the demo model's classes; a trained model must use these
 * names or the tools' class_name must be edited to match it).
 */
export const DEFAULT_TOOLKIT = {
  name: 'Standard maintenance kit',
  description: 'Default kit of 11 hand tools for track-side and rolling-stock maintenance (seeded on first start).',
};

export const DEFAULT_TOOLS: ReadonlyArray<{ name: string; className: string; category: string; serial: string }> = [
  { name: 'Claw hammer', className: 'hammer', category: 'striking', serial: 'STD-HAM-001' },
  { name: 'Flat screwdriver', className: 'flat_screwdriver', category: 'screwdrivers', serial: 'STD-SDF-001' },
  { name: 'Phillips screwdriver', className: 'phillips_screwdriver', category: 'screwdrivers', serial: 'STD-SDP-001' },
  { name: 'Adjustable wrench', className: 'adjustable_wrench', category: 'wrenches', serial: 'STD-ADW-001' },
  { name: 'Combination pliers', className: 'combination_pliers', category: 'pliers', serial: 'STD-CPL-001' },
  { name: 'Wire cutters', className: 'wire_cutters', category: 'pliers', serial: 'STD-WCT-001' },
  { name: 'Tape measure', className: 'tape_measure', category: 'measuring', serial: 'STD-TPM-001' },
  { name: 'Utility knife', className: 'utility_knife', category: 'cutting', serial: 'STD-UKN-001' },
  { name: 'Hex key set', className: 'hex_key_set', category: 'keys', serial: 'STD-HEX-001' },
  { name: 'Torque wrench', className: 'torque_wrench', category: 'wrenches', serial: 'STD-TQW-001' },
  { name: 'Voltage tester', className: 'voltage_tester', category: 'electrical', serial: 'STD-VLT-001' },
];
