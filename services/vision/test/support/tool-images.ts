import sharp from 'sharp';
import { DEMO_CLASSES } from '../../src/model/demo-classes';

/** A tool drawn as the demo model sees it: a patch of its class colour. */
export interface Patch {
  tool: string;
  x: number;
  y: number;
  size: number;
  /** Height when not square (a partly covered tool scores lower). */
  height?: number;
}

export function colourOf(tool: string): readonly [number, number, number] {
  const found = DEMO_CLASSES.find((c) => c.name === tool);
  if (!found) throw new Error(`no demo class ${tool}`);
  return found.rgb;
}

/** A white photo with the given patches, encoded as JPEG (default) or PNG. */
export async function toolPhoto(patches: readonly Patch[], options: { width?: number; height?: number; format?: 'jpeg' | 'png'; unique?: boolean } = {}): Promise<Buffer> {
  const width = options.width ?? 640;
  const height = options.height ?? 640;
  const pixels = Buffer.alloc(width * height * 3, 255);
  for (const p of patches) {
    const rgb = colourOf(p.tool);
    for (let y = p.y; y < p.y + (p.height ?? p.size); y++) {
      for (let x = p.x; x < p.x + p.size; x++) {
        const i = (y * width + x) * 3;
        pixels[i] = rgb[0];
        pixels[i + 1] = rgb[1];
        pixels[i + 2] = rgb[2];
      }
    }
  }
  if (options.unique) {
    // A few random grey pixels in the top-left corner: a new image (no cache hit), the same detections.
    for (let i = 0; i < 8; i++) pixels.fill(Math.floor(Math.random() * 200), (i * width + Math.floor(Math.random() * 8)) * 3, (i * width + 8) * 3);
  }
  const image = sharp(pixels, { raw: { width, height, channels: 3 } });
  return options.format === 'png' ? image.png().toBuffer() : image.jpeg({ quality: 95 }).toBuffer();
}

/** Every tool of the default kit, one 64-px patch each, on a 16-px aligned grid. */
export function fullKitPatches(except: readonly string[] = []): Patch[] {
  return DEMO_CLASSES.filter((c) => !except.includes(c.name)).map((c, i) => ({ tool: c.name, x: 32 + (i % 4) * 144, y: 32 + Math.floor(i / 4) * 144, size: 64 }));
}
