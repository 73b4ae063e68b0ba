import sharp from 'sharp';
import yazl from 'yazl';
import { DEMO_TOOL_CLASSES } from '@fleet/contracts';

/**
 * A "painted" kit photo the demo tool detector recognises exactly: white 640x640, one 64-px
 * patch per named tool in its class colour, on the model's 16-px grid (`shift` moves them off it).
 */
export async function paintedKitPhoto(tools: readonly string[], options: { png?: boolean; shift?: number } = {}): Promise<Buffer> {
  const size = 640;
  const pixels = Buffer.alloc(size * size * 3, 255);
  tools.forEach((tool, i) => {
    const rgb = DEMO_TOOL_CLASSES.find((c) => c.name === tool)?.rgb;
    if (!rgb) throw new Error(`no demo tool class ${tool}`);
    const x0 = 32 + (i % 4) * 144 + (options.shift ?? 0);
    const y0 = 32 + Math.floor(i / 4) * 144;
    for (let y = y0; y < y0 + 64; y++) for (let x = x0; x < x0 + 64; x++) pixels.set(rgb, (y * size + x) * 3);
  });
  const image = sharp(pixels, { raw: { width: size, height: size, channels: 3 } });
  return options.png ? image.png().toBuffer() : image.jpeg({ quality: 95 }).toBuffer();
}

/** A ZIP archive of `[name, bytes]` entries, as a client uploads kit photos in one file. */
export async function zipOf(entries: Array<[string, Buffer]>): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [name, data] of entries) zip.addBuffer(data, name);
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}
