// Copies a few of the console's screenshots (taken by its browser tests into logs/screenshots/)
// into gateway/console/screenshots/ for the README, made small: 960 px wide, palette PNG.
//   node tools/readme-screenshots.mjs   (after the console's e2e test ran)
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SHOWN = ['overview', 'tickets-check-log', 'drones', 'tools', 'translations-playing', 'chat'];
const target = path.join(root, 'gateway', 'console', 'screenshots');
mkdirSync(target, { recursive: true });
for (const name of SHOWN) {
  const file = path.join(target, `${name}.png`);
  const { size } = await sharp(path.join(root, 'logs', 'screenshots', `${name}.png`))
    .resize({ width: 960, withoutEnlargement: true })
    .png({ palette: true, quality: 80, compressionLevel: 9 })
    .toFile(file);
  console.log(`${path.relative(root, file)}: ${(size / 1024).toFixed(0)} KB`);
}
