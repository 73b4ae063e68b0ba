import sharp from 'sharp';
import type { OverlayOptions, Sharp } from 'sharp';
import type { Detection } from '@fleet/contracts';

/** Outline and label colour of every box: black on the light tool photos, with white label text. */
export const ANNOTATION_STROKE = '#000000';
export const ANNOTATION_STROKE_WIDTH = 3;
/** Annotated images are at most this many pixels on their long side (boxes scaled to match). */
export const ANNOTATION_MAX_SIDE = 1280;

const escapeXml = (text: string) => text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

interface Rect {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** A solid rectangle clipped to the image, or undefined when nothing of it is inside. */
function clip(rect: Rect, width: number, height: number): Rect | undefined {
  const left = Math.max(0, Math.round(rect.left));
  const top = Math.max(0, Math.round(rect.top));
  const right = Math.min(width, Math.round(rect.left + rect.width));
  const bottom = Math.min(height, Math.round(rect.top + rect.height));
  return right > left && bottom > top ? { left, top, width: right - left, height: bottom - top } : undefined;
}

function solid(rect: Rect): OverlayOptions {
  return { input: { create: { width: rect.width, height: rect.height, channels: 3, background: ANNOTATION_STROKE } }, left: rect.left, top: rect.top };
}

/**
 * Small overlays per detection (four edges of the box, a label with its own little SVG) rather
 * than one image-sized SVG: rasterising a full-size SVG cost seconds on a 1920-px photo.
 */
export function annotationOverlays(width: number, height: number, detections: readonly Detection[], scale = 1): OverlayOptions[] {
  const half = ANNOTATION_STROKE_WIDTH / 2;
  const fontSize = Math.max(12, Math.round(Math.min(width, height) / 40));
  return detections.flatMap(({ box, class_name, confidence }) => {
    const [x1, y1, x2, y2] = [box.x1 * scale, box.y1 * scale, box.x2 * scale, box.y2 * scale];
    const edges: Rect[] = [
      { left: x1 - half, top: y1 - half, width: x2 - x1 + 2 * half, height: ANNOTATION_STROKE_WIDTH },
      { left: x1 - half, top: y2 - half, width: x2 - x1 + 2 * half, height: ANNOTATION_STROKE_WIDTH },
      { left: x1 - half, top: y1 - half, width: ANNOTATION_STROKE_WIDTH, height: y2 - y1 + 2 * half },
      { left: x2 - half, top: y1 - half, width: ANNOTATION_STROKE_WIDTH, height: y2 - y1 + 2 * half },
    ];
    const label = `${escapeXml(class_name)} ${confidence.toFixed(2)}`;
    const labelBox = clip({ left: x1, top: y1 >= fontSize + 4 ? y1 - fontSize - 4 : y2, width: Math.ceil(label.length * fontSize * 0.6) + 6, height: fontSize + 4 }, width, height);
    const overlays = edges.map((edge) => clip(edge, width, height)).filter((r): r is Rect => r !== undefined).map(solid);
    if (labelBox) {
      const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${labelBox.width}" height="${labelBox.height}"><rect width="100%" height="100%" fill="${ANNOTATION_STROKE}"/><text x="3" y="${fontSize}" font-family="DejaVu Sans, sans-serif" font-size="${fontSize}" fill="#ffffff">${label}</text></svg>`;
      overlays.push({ input: Buffer.from(svg), left: labelBox.left, top: labelBox.top });
    }
    return overlays;
  });
}

/** The oriented original (at most ANNOTATION_MAX_SIDE on its long side) with the detections drawn, as a JPEG. */
export async function annotate(image: Sharp, width: number, height: number, detections: readonly Detection[]): Promise<Buffer> {
  const scale = Math.min(1, ANNOTATION_MAX_SIDE / Math.max(width, height));
  const w = Math.round(width * scale);
  const h = Math.round(height * scale);
  const base = scale < 1 ? image.resize(w, h, { fit: 'fill' }) : image;
  // Resize and composite are separate steps: sharp composites before resizing within one pipeline.
  const resized = scale < 1 ? await base.removeAlpha().raw().toBuffer({ resolveWithObject: true }) : undefined;
  const canvas = resized ? sharp(resized.data, { raw: resized.info }) : base.removeAlpha();
  return canvas.composite(annotationOverlays(w, h, detections, scale)).jpeg({ quality: 85 }).toBuffer();
}
