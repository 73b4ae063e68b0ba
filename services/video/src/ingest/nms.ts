/**
 * Typed access to the parts of node-media-server 4.4.3 the ingest uses. The package ships no
 * types, and its NodeMediaServer class also starts an HTTP server (which would accept HTTP-FLV
 * *publishing* and serve its admin UI), a JSON store under ./data and a notify client; the
 * ingest runs only its RTMP server and serves playback itself.
 */
import type EventEmitter from 'node:events';
import type { Socket } from 'node:net';

/** Fields of node-media-server's BaseSession the ingest reads or sets. */
export interface NmsSession {
  id: string;
  ip: string;
  protocol: string;
  isPublisher: boolean;
  streamApp: string;
  streamName: string;
  streamPath: string;
  createTime: number;
  endTime: number;
  videoCodec: number;
  videoWidth: number;
  videoHeight: number;
  videoFramerate: number;
  audioCodec: number;
  audioSamplerate: number;
  audioChannels: number;
  inBytes: number;
  outBytes: number;
  playCount: number;
  sendBuffer: (buffer: Buffer) => void;
  close: () => void;
  /** RtmpSession only: the publisher's connection (the ingest follows its end, and cuts it). */
  socket?: Socket;
  /** RtmpSession only: its protocol parser, whose packet callback the meter wraps. */
  rtmp?: { onPacketCallback: (packet: NmsPacket) => void };
}

/** AVPacket: codec_type 8 audio, 9 video; flags 3 = video keyframe. Timestamps in ms. */
export interface NmsPacket {
  codec_type: number;
  flags: number;
  dts: number;
  pts: number;
  size: number;
}

export interface NmsBroadcast {
  publisher: NmsSession | null;
  subscribers: Map<string, NmsSession>;
  publishGraceMs: number;
  postPlay(session: NmsSession): string | null;
  donePlay(session: NmsSession): void;
  getPublishStatus(): 'publishing' | 'reconnecting' | 'idle';
  /**
   * Ends the current publish at once (emits donePublish, drops the GOP caches). The ingest calls
   * it instead of letting the publish grace window run: within that window node-media-server hands
   * the departed publisher's slot and counters to whichever client next publishes on the same path
   * from the same address, refused or not.
   */
  _finishPublish(): void;
}

export interface NmsContext {
  config: Record<string, unknown>;
  sessions: Map<string, NmsSession>;
  broadcasts: Map<string, NmsBroadcast>;
  eventEmitter: EventEmitter;
}

export interface NmsRtmpServer {
  tcpServer?: import('node:net').Server;
  run(): void;
  stop(): void;
}

export interface NmsModules {
  context: NmsContext;
  createRtmpServer(): NmsRtmpServer;
  /** node-media-server's own BaseSession, so viewers look like its sessions. */
  BaseSession: new () => NmsSession;
}

/** Loads the modules once; node-media-server keeps its state in a module-level Context. */
export function loadNms(config: { port: number; bind: string }): NmsModules {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const context = require('node-media-server/src/core/context.js') as NmsContext;
  const logger = require('node-media-server/src/core/logger.js') as { level: string };
  const RtmpServer = require('node-media-server/src/server/rtmp_server.js') as new () => NmsRtmpServer;
  const BaseSession = require('node-media-server/src/session/base_session.js') as new () => NmsSession;
  /* eslint-enable @typescript-eslint/no-require-imports */
  // Its logger prints plain text to stdout, among our JSON lines; we log the events ourselves.
  logger.level = 'error';
  context.config = { bind: config.bind, rtmp: { port: config.port, chunk_size: 60000, gop_cache: true, ping: 30, ping_timeout: 60 } };
  return { context, createRtmpServer: () => new RtmpServer(), BaseSession };
}

/** The names node-media-server gives FLV codec ids in metadata. */
export function codecName(id: number | string | undefined): string | null {
  if (id === undefined || id === 0 || id === '') return null;
  if (typeof id === 'string') return id;
  return ({ 2: 'MP3', 7: 'H264', 10: 'AAC', 12: 'H265', 13: 'AV1' } as Record<number, string>)[id] ?? `codec-${id}`;
}
