import type { Writable } from 'node:stream';
import { NmsModules, NmsSession } from './nms';

/** A viewer whose unsent bytes pass this is too slow for live video and is cut off. */
export const VIEWER_MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

/**
 * An HTTP-FLV viewer as a node-media-server subscriber: the broadcast writes FLV tags to it
 * (header, metadata, codec headers and the cached GOP first, so playback starts at a keyframe).
 * A viewer that does not keep up is closed rather than buffered without bound. An empty
 * `clientAddress` makes it internal for node-media-server (no play events, not counted).
 */
export function createFlvViewer(nms: NmsModules, res: Writable, clientAddress: string, onSlow: () => void): NmsSession {
  const viewer = new nms.BaseSession();
  viewer.protocol = 'flv';
  viewer.ip = clientAddress;
  viewer.sendBuffer = (buffer: Buffer) => {
    if (res.writableEnded || res.destroyed) return;
    if (res.writableLength > VIEWER_MAX_BUFFERED_BYTES) {
      onSlow();
      res.destroy();
      return;
    }
    res.write(buffer);
    viewer.outBytes += buffer.length;
  };
  viewer.close = () => {
    if (!res.writableEnded) res.end();
  };
  return viewer;
}
