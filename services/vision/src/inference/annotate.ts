import type { Sharp } from 'sharp';
import type { Detection } from '@fleet/contracts';

/** Outline and label colour of every box: black on the light tool photos, with white label text. */
export const ANNOTATION_STROKE = '#000000';
export const ANNOTATION_STROKE_WIDTH = 3;

const escapeXml = (text: string) => text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** An SVG layer with one outlined box and a "class 0.97" label per detection. */
export function annotationSvg(width: number, height: number, detections: readonly Detection[]): string {
  const fontSize = Math.max(12, Math.round(Math.min(width, height) / 40));
  const parts = detections.map(({ box, class_name, confidence }) => {
    const label = `${escapeXml(class_name)} ${confidence.toFixed(2)}`;
    const labelWidth = Math.ceil(label.length * fontSize * 0.6) + 6;
    const labelY = box.y1 >= fontSize + 4 ? box.y1 - fontSize - 4 : box.y2;
    return (
      `<rect x="${box.x1}" y="${box.y1}" width="${box.x2 - box.x1}" height="${box.y2 - box.y1}" fill="none" stroke="${ANNOTATION_STROKE}" stroke-width="${ANNOTATION_STROKE_WIDTH}"/>` +
      `<rect x="${box.x1}" y="${labelY}" width="${labelWidth}" height="${fontSize + 4}" fill="${ANNOTATION_STROKE}"/>` +
      `<text x="${box.x1 + 3}" y="${labelY + fontSize}" font-family="DejaVu Sans, sans-serif" font-size="${fontSize}" fill="#ffffff">${label}</text>`
    );
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${parts.join('')}</svg>`;
}

/** The oriented original with the detections drawn on it, as a JPEG. */
export async function annotate(image: Sharp, width: number, height: number, detections: readonly Detection[]): Promise<Buffer> {
  return image
    .removeAlpha()
    .composite([{ input: Buffer.from(annotationSvg(width, height, detections)), top: 0, left: 0 }])
    .jpeg({ quality: 85 })
    .toBuffer();
}
