/** How far into a stream to look for its first audio and video frames before giving up. */
const MAX_SCAN_BYTES = 4 * 1024 * 1024;
const TAG_HEADER = 11;
const AUDIO = 8;
const VIDEO = 9;

/**
 * Finds the timestamp mpegts.js rebases an HTTP-FLV stream to: its remuxer subtracts the smaller
 * of the first audio and the first video frame's timestamps (codec headers are not frames), so
 * `video.currentTime * 1000 + base` is the on-screen frame's position on the stream clock
 * (README, "Syncing telemetry with the video"). Fed with the response's first chunks, in order.
 */
export class FlvStartReader {
  private bytes = new Uint8Array(0);
  private firstVideo: number | null = null;
  private firstAudio: number | null = null;
  private base: number | null = null;
  private gaveUp = false;

  /** The base once known; null while more bytes are needed (or when the stream is not FLV). */
  get result(): number | null {
    return this.base;
  }

  /** Reads one more chunk; returns the base the first time it is known. */
  feed(chunk: Uint8Array): number | null {
    if (this.base !== null || this.gaveUp) return null;
    const joined = new Uint8Array(this.bytes.length + chunk.length);
    joined.set(this.bytes);
    joined.set(chunk, this.bytes.length);
    this.bytes = joined;
    this.scan();
    if (this.base === null && this.bytes.length > MAX_SCAN_BYTES) this.stop();
    return this.base;
  }

  private scan(): void {
    const b = this.bytes;
    if (b.length < 13) return;
    if (b[0] !== 0x46 || b[1] !== 0x4c || b[2] !== 0x56) return this.stop();
    const hasAudio = (b[4] & 0x04) !== 0;
    const hasVideo = (b[4] & 0x01) !== 0;
    let pos = ((b[5] << 24) | (b[6] << 16) | (b[7] << 8) | b[8]) + 4;
    while (pos + TAG_HEADER <= b.length) {
      const type = b[pos] & 0x1f;
      const size = (b[pos + 1] << 16) | (b[pos + 2] << 8) | b[pos + 3];
      const timestamp = ((b[pos + 7] << 24) | (b[pos + 4] << 16) | (b[pos + 5] << 8) | b[pos + 6]) >>> 0;
      if (pos + TAG_HEADER + size > b.length) return;
      const data = b.subarray(pos + TAG_HEADER, pos + TAG_HEADER + size);
      if (type === VIDEO && this.firstVideo === null && isVideoFrame(data)) this.firstVideo = timestamp;
      if (type === AUDIO && this.firstAudio === null && isAudioFrame(data)) this.firstAudio = timestamp;
      const videoDone = !hasVideo || this.firstVideo !== null;
      const audioDone = !hasAudio || this.firstAudio !== null;
      if (videoDone && audioDone) {
        this.base = Math.min(this.firstVideo ?? Infinity, this.firstAudio ?? Infinity);
        this.bytes = new Uint8Array(0);
        return;
      }
      pos += TAG_HEADER + size + 4;
    }
  }

  private stop(): void {
    this.gaveUp = true;
    this.bytes = new Uint8Array(0);
  }
}

/** A video tag with a frame in it (not an AVC/HEVC sequence header or end-of-sequence). */
function isVideoFrame(data: Uint8Array): boolean {
  if (data.length < 2) return false;
  const enhanced = (data[0] & 0x80) !== 0;
  if (enhanced) return (data[0] & 0x0f) === 1 || (data[0] & 0x0f) === 3;
  const codec = data[0] & 0x0f;
  return codec === 7 || codec === 12 ? data[1] === 1 : true;
}

/** An audio tag with samples in it (not an AAC sequence header). */
function isAudioFrame(data: Uint8Array): boolean {
  if (data.length < 2) return false;
  return data[0] >> 4 === 10 ? data[1] === 1 : true;
}
