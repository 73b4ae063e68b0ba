import { randomBytes, randomUUID } from 'node:crypto';
import { RobotState, TicketDecision, TicketDirection } from '@fleet/contracts';
import { franckFrames, paintedKitPhoto, Publisher, publishLivePattern } from '@fleet/testing';
import { ChatActor } from './chat-actor';
import { RepeatingActions } from './repeating-actions';
import { StationApi, TokenSource } from './station-api';

/**
 * A living station driven through the gateway with the credentials real clients use: robots
 * (heartbeats along a platform, ticket scans, orders), drones (an ffmpeg test pattern over RTMP
 * and telemetry along a track), operators chatting. It seeds what it needs first.
 */
export interface StationOptions {
  gatewayUrl: string;
  /** RTMP ingest, e.g. rtmp://127.0.0.1:1935 */
  rtmpUrl: string;
  robots: number;
  drones: number;
  /** The realm's users (development credentials by default). */
  operator?: { username: string; password: string };
  admin?: { username: string; password: string };
  /** Units of each product at the start (default 100,000: a simulation never sells out; the chaos run makes stock scarce). */
  stock?: number;
  /** Where acknowledged writes are recorded (the chaos run checks each one at the end). */
  ledger?: StationLedger;
}

/** Every write the fleet acknowledged, as the client saw it. */
export interface StationLedger {
  /** A 200 to a ticket check (`replay`: a retry of a nonce already answered). */
  ticketChecked(check: { robotId: string; code: string; nonce: string; decision: TicketDecision; replayed: boolean }): void;
  /** A 2xx to an order, with the idempotency key it was sent with. */
  orderPlaced(order: { key: string; orderId: string; items: Array<{ product_id: string; quantity: number }> }): void;
  /** A 202 to a telemetry sample. */
  telemetryAccepted(sample: { droneId: string; ts: string }): void;
}

/** What the station did, by kind: the once-a-second line and the report read it. */
export interface StationActivity {
  heartbeats: number;
  checks: Partial<Record<TicketDecision | 'replayed' | 'failed', number>>;
  orders: { placed: number; retried: number; refused: number };
  faceLogins: { recognised: number; notRecognised: number; failed: number };
  kits: { issued: number; returned: Record<string, number>; failed: number };
  telemetry: { accepted: number; refused: number };
  chat: { sent: number; received: number };
  dronesPublishing: number;
}

interface SimRobot {
  id: string;
  name: string;
  tokens: TokenSource;
  x: number;
  direction: 1 | -1;
  battery: number;
}

interface SimDrone {
  id: string;
  streamKey: string;
  tokens: TokenSource;
  publisher?: Publisher;
  publishedAt?: number;
  step: number;
}

const TRAIN = 'IC 101';
const OTHER_TRAIN = 'IC 202';
const PLATFORM_METRES = 200;

export class Station {
  readonly api: StationApi;
  readonly activity: StationActivity = {
    heartbeats: 0,
    checks: {},
    orders: { placed: 0, retried: 0, refused: 0 },
    faceLogins: { recognised: 0, notRecognised: 0, failed: 0 },
    kits: { issued: 0, returned: {}, failed: 0 },
    telemetry: { accepted: 0, refused: 0 },
    chat: { sent: 0, received: 0 },
    dronesPublishing: 0,
  };
  private readonly run = randomBytes(3).toString('hex');
  private readonly operator: TokenSource;
  private readonly admin: TokenSource;
  private robots: SimRobot[] = [];
  private drones: SimDrone[] = [];
  private validTickets: string[] = [];
  private usedTickets: string[] = [];
  private otherTrainTickets: string[] = [];
  private shop?: { id: string; products: string[] };
  private engineerId?: string;
  private toolkitId?: string;
  private readonly faces = franckFrames();
  private chatters: ChatActor[] = [];
  private readonly actions = new RepeatingActions();
  private stopped = false;

  constructor(private readonly options: StationOptions) {
    this.api = new StationApi(options.gatewayUrl);
    const operator = options.operator ?? { username: 'operator', password: 'operator-dev-password-DEV-ONLY' };
    const admin = options.admin ?? { username: 'admin', password: 'admin-dev-password-DEV-ONLY' };
    this.operator = TokenSource.password(options.gatewayUrl, operator.username, operator.password);
    this.admin = TokenSource.password(options.gatewayUrl, admin.username, admin.password);
  }

  /** Creates the station's tickets, shop, robots and drones (names carry this run's id). */
  async seed(): Promise<void> {
    const token = await this.admin.token();
    const now = Date.now();
    const ticket = (code: string, train: string) => ({
      code,
      passenger_name: `Passenger ${code}`,
      train,
      car: '3',
      seat: String(10 + Math.floor(Math.random() * 60)),
      departure_station: 'Central',
      valid_from: new Date(now - 3_600_000).toISOString(),
      valid_until: new Date(now + 24 * 3_600_000).toISOString(),
    });
    const count = Math.max(50, this.options.robots * 40);
    const valid = Array.from({ length: count }, (_, i) => `SIM-${this.run}-${i}`);
    const other = Array.from({ length: Math.ceil(count / 10) }, (_, i) => `SIM-${this.run}-X${i}`);
    const imported = await this.api.call<{ created: number }>('POST /base_api/admin/tickets/import', '/base_api/admin/tickets/import', {
      token,
      json: { tickets: [...valid.map((code) => ticket(code, TRAIN)), ...other.map((code) => ticket(code, OTHER_TRAIN))] },
    });
    if (imported.status !== 200 && imported.status !== 201) throw new Error(`seeding tickets: ${imported.status} ${JSON.stringify(imported.body)}`);
    this.validTickets = valid;
    this.otherTrainTickets = other;

    const shop = await this.api.call<{ id: string }>('POST /store_api/admin/shops', '/store_api/admin/shops', {
      token,
      json: { station: 'Central', name: `Kiosk ${this.run}`, location: 'Hall A, platform 1', opening_hours: [{ days: [1, 2, 3, 4, 5, 6, 7], opens: '00:00', closes: '24:00' }] },
    });
    if (shop.status !== 201) throw new Error(`seeding the shop: ${shop.status} ${JSON.stringify(shop.body)}`);
    const products: string[] = [];
    for (const [name, price] of [['Coffee', 250], ['Sandwich', 450], ['Water', 150]] as const) {
      const product = await this.api.call<{ id: string }>('POST /store_api/admin/shops/:id/products', `/store_api/admin/shops/${shop.body.id}/products`, {
        token,
        json: { name: `${name} ${this.run}`, category: 'food', price_minor: price, currency: 'EUR', stock: this.options.stock ?? 100_000 },
      });
      if (product.status !== 201) throw new Error(`seeding products: ${product.status} ${JSON.stringify(product.body)}`);
      products.push(product.body.id);
    }
    this.shop = { id: shop.body.id, products };

    // An engineer robots log in by face (the test photos' Franck) and lend a kit to.
    const engineer = await this.api.call<{ id: string }>('POST /base_api/admin/engineers', '/base_api/admin/engineers', {
      token,
      json: { employee_number: `SIM-${this.run}`, first_name: 'Franck', last_name: `Sim ${this.run}`, roles: ['technician'] },
    });
    if (engineer.status !== 201) throw new Error(`seeding the engineer: ${engineer.status} ${JSON.stringify(engineer.body)}`);
    this.engineerId = engineer.body.id;
    const enrolment = new FormData();
    for (const frame of [this.faces[0], this.faces[5]]) enrolment.append('images', new Blob([new Uint8Array(frame)], { type: 'image/jpeg' }), 'face.jpg');
    const enrolled = await this.api.call('POST /base_api/admin/engineers/:id/face', `/base_api/admin/engineers/${this.engineerId}/face`, { token, body: enrolment });
    if (enrolled.status !== 201) throw new Error(`enrolling the engineer's face: ${enrolled.status} ${JSON.stringify(enrolled.body)}`);
    const tools: string[] = [];
    for (const className of ['hammer', 'tape_measure']) {
      const tool = await this.api.call<{ id: string }>('POST /vision_api/tools', '/vision_api/tools', {
        token,
        json: { name: `${className} ${this.run}`, serial_number: `SIM-${this.run}-${className}`, category: className, class_name: className },
      });
      if (tool.status !== 201) throw new Error(`seeding tools: ${tool.status} ${JSON.stringify(tool.body)}`);
      tools.push(tool.body.id);
    }
    const toolkit = await this.api.call<{ id: string }>('POST /vision_api/toolkits', '/vision_api/toolkits', {
      token,
      json: { name: `Kit ${this.run}`, items: tools.map((tool_id) => ({ tool_id, quantity: 1 })) },
    });
    if (toolkit.status !== 201) throw new Error(`seeding the toolkit: ${toolkit.status} ${JSON.stringify(toolkit.body)}`);
    this.toolkitId = toolkit.body.id;

    for (let i = 1; i <= this.options.robots; i++) {
      const name = `sim-robot-${this.run}-${i}`;
      const robot = await this.api.call<{ id: string; client_id: string; client_secret: string }>('POST /base_api/admin/robots', '/base_api/admin/robots', {
        token,
        json: { name, station: 'Central', assigned_train: TRAIN, keycloak_client_id: name },
      });
      if (robot.status !== 201 || !robot.body.client_secret) throw new Error(`registering ${name}: ${robot.status} ${JSON.stringify(robot.body)}`);
      this.robots.push({ id: robot.body.id, name, tokens: TokenSource.client(this.options.gatewayUrl, robot.body.client_id, robot.body.client_secret), x: (i * 37) % PLATFORM_METRES, direction: 1, battery: 60 + ((i * 13) % 40) });
    }
    for (let i = 1; i <= this.options.drones; i++) {
      const name = `sim-drone-${this.run}-${i}`;
      const drone = await this.api.call<{ id: string; stream_key: string; client_secret: string }>('POST /video_api/drones', '/video_api/drones', {
        token,
        json: { name, keycloak_client_id: name },
      });
      if (drone.status !== 201 || !drone.body.client_secret) throw new Error(`registering ${name}: ${drone.status} ${JSON.stringify(drone.body)}`);
      this.drones.push({ id: drone.body.id, streamKey: drone.body.stream_key, tokens: TokenSource.client(this.options.gatewayUrl, name, drone.body.client_secret), step: 0 });
    }
  }

  /** What seed() created, for checks against the databases. */
  seeded(): { run: string; shopId?: string; productIds: string[]; robotIds: string[]; droneIds: string[]; stock: number } {
    return {
      run: this.run,
      shopId: this.shop?.id,
      productIds: this.shop?.products ?? [],
      robotIds: this.robots.map((robot) => robot.id),
      droneIds: this.drones.map((drone) => drone.id),
      stock: this.options.stock ?? 100_000,
    };
  }

  /** Starts every actor; they run until stop(). */
  async start(): Promise<void> {
    for (const robot of this.robots) {
      this.actions.every(2_000, () => this.heartbeat(robot), { randomPhase: true });
      this.actions.every(3_000, () => this.scanTicket(robot), { randomPhase: true });
      this.actions.every(15_000, () => this.placeOrder(robot), { randomPhase: true });
      this.actions.every(20_000, () => this.faceLogin(robot), { randomPhase: true });
      this.actions.every(30_000, () => this.lendKit(robot), { randomPhase: true });
    }
    for (const drone of this.drones) {
      this.publish(drone);
      this.actions.every(1_000, () => this.telemetry(drone), { randomPhase: true });
    }
    await this.startChat();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.actions.halt();
    await Promise.all(this.chatters.map((chatter) => chatter.stop()));
    await Promise.all(this.drones.map((drone) => drone.publisher?.stop()));
    this.activity.dronesPublishing = 0;
    // Answers to requests sent before the stop still reach the ledger before anyone reads it.
    await this.actions.settled();
  }

  /** One line of what happened so far. */
  summary(elapsedSeconds: number): string {
    const checks = Object.entries(this.activity.checks).map(([decision, n]) => `${decision} ${n}`).join(', ');
    const totals = this.api.totals();
    return [
      `[sim] ${elapsedSeconds}s`,
      `robots ${this.robots.length} · heartbeats ${this.activity.heartbeats}`,
      `checks ${checks || 0}`,
      `orders ${this.activity.orders.placed} (+${this.activity.orders.retried} retried, ${this.activity.orders.refused} refused)`,
      `face logins ${this.activity.faceLogins.recognised} recognised`,
      `kits ${Object.entries(this.activity.kits.returned).map(([status, n]) => `${status} ${n}`).join(', ') || 0}`,
      `drones ${this.activity.dronesPublishing}/${this.drones.length} live · telemetry ${this.activity.telemetry.accepted}`,
      `chat ${this.activity.chat.sent} sent / ${this.activity.chat.received} received`,
      `requests ${totals.sent}: 2xx ${totals.ok}, 4xx ${totals.clientErrors}, 5xx ${totals.serverErrors}, timeouts ${totals.timeouts}`,
    ].join(' · ');
  }

  private async heartbeat(robot: SimRobot): Promise<void> {
    robot.x += robot.direction * (2 + Math.random() * 3);
    if (robot.x > PLATFORM_METRES || robot.x < 0) robot.direction = robot.direction === 1 ? -1 : 1;
    robot.battery = robot.battery <= 15 ? 100 : robot.battery - 0.2;
    const state = robot.battery > 98 ? RobotState.Charging : Math.random() < 0.3 ? RobotState.Busy : RobotState.Idle;
    const answer = await this.api.call('POST /base_api/robot/heartbeat', '/base_api/robot/heartbeat', {
      token: await robot.tokens.token(),
      json: { battery: Math.round(robot.battery), state, position: { x: Math.round(robot.x * 10) / 10, y: 2, zone: `platform-1-${Math.floor(robot.x / 50) + 1}` } },
    });
    if (answer.status === 200) this.activity.heartbeats += 1;
  }

  /** Mostly fresh valid tickets; some already used, some for another train, some retried nonces. */
  private async scanTicket(robot: SimRobot): Promise<void> {
    const roll = Math.random();
    const code =
      roll < 0.15 && this.usedTickets.length ? pick(this.usedTickets) : roll < 0.25 ? pick(this.otherTrainTickets) : this.validTickets.pop() ?? pick(this.usedTickets);
    // Now and then a passenger shows the same ticket at two gates at once: one of them lets it in.
    const twin = roll >= 0.25 && Math.random() < 0.05 && this.robots.length > 1 ? pick(this.robots.filter((other) => other !== robot)) : undefined;
    await Promise.all([this.checkTicket(robot, code), twin && this.checkTicket(twin, code)]);
  }

  /**
   * One scan, retried with the same nonce on a 5xx or a timeout as a real robot does (the answer
   * may have been lost after the ticket was used): the same decision, never a second use.
   */
  private async checkTicket(robot: SimRobot, code: string): Promise<void> {
    const nonce = randomUUID();
    const token = await robot.tokens.token();
    const check = (replay: boolean) =>
      this.api
        .call<{ decision: TicketDecision; replayed?: boolean }>('POST /base_api/robot/tickets/check', '/base_api/robot/tickets/check', { token, json: { code, nonce, direction: TicketDirection.Entry } })
        .then((answer) => {
          if (answer.status === 200) this.options.ledger?.ticketChecked({ robotId: robot.id, code, nonce, decision: answer.body.decision, replayed: replay || answer.body.replayed === true });
          return answer;
        });
    let answer = await check(false);
    for (let retry = 1; retry <= 3 && (answer.status === 0 || answer.status >= 500); retry++) {
      await sleep(500 * retry);
      answer = await check(true);
    }
    if (answer.status !== 200) {
      this.count('failed');
      return;
    }
    this.count(answer.body.decision);
    if (answer.body.decision === TicketDecision.Valid && !answer.body.replayed) this.usedTickets.push(code);
    // A robot that lost the answer retries with the same nonce: the same decision, not a second use.
    if (Math.random() < 0.1) {
      const replay = await check(true);
      if (replay.status === 200 && replay.body.replayed) this.count('replayed');
    }
  }

  /** An order for a passenger whose ticket was checked, with an idempotency key; retried once on a 5xx or a timeout. */
  private async placeOrder(robot: SimRobot): Promise<void> {
    if (!this.shop || !this.usedTickets.length) return;
    const key = randomUUID();
    const order = { ticket_code: pick(this.usedTickets), shop_id: this.shop.id, items: [{ product_id: pick(this.shop.products), quantity: 1 + Math.floor(Math.random() * 2) }] };
    for (let attempt = 1; attempt <= 3; attempt++) {
      if (attempt > 1) await sleep(500 * attempt);
      const answer = await this.api.call<{ id: string }>('POST /base_api/robot/orders', '/base_api/robot/orders', { token: await robot.tokens.token(), json: order, headers: { 'idempotency-key': key } });
      if (answer.status >= 200 && answer.status < 300) {
        this.activity.orders.placed += 1;
        this.options.ledger?.orderPlaced({ key, orderId: answer.body.id, items: order.items });
        return;
      }
      if (answer.status !== 0 && answer.status < 500) {
        this.activity.orders.refused += 1;
        return;
      }
      this.activity.orders.retried += 1;
    }
  }

  /** The engineer shows their face to a robot (another frame than the enrolled ones). */
  private async faceLogin(robot: SimRobot): Promise<void> {
    const form = new FormData();
    form.append('image', new Blob([new Uint8Array(pick(this.faces.slice(1, 5)))], { type: 'image/jpeg' }), 'face.jpg');
    const answer = await this.api.call<{ recognised: boolean }>('POST /base_api/robot/auth/face', '/base_api/robot/auth/face', { token: await robot.tokens.token(), body: form });
    if (answer.status !== 200) this.activity.faceLogins.failed += 1;
    else if (answer.body.recognised) this.activity.faceLogins.recognised += 1;
    else this.activity.faceLogins.notRecognised += 1;
  }

  /** A kit lent to the engineer and returned with a photo: mostly complete, sometimes without the hammer. */
  private async lendKit(robot: SimRobot): Promise<void> {
    if (!this.toolkitId || !this.engineerId) return;
    const token = await robot.tokens.token();
    const issued = await this.api.call<{ id: string }>('POST /vision_api/transactions/issue', '/vision_api/transactions/issue', { token, json: { toolkit_id: this.toolkitId, engineer_id: this.engineerId } });
    // Until vision has heard of the new engineer (an event from base), or while the kit is out: next time.
    if (issued.status !== 201) {
      this.activity.kits.failed += 1;
      return;
    }
    this.activity.kits.issued += 1;
    const form = new FormData();
    const tools = Math.random() < 0.8 ? ['hammer', 'tape_measure'] : ['tape_measure'];
    form.append('images', new Blob([new Uint8Array(await paintedKitPhoto(tools))], { type: 'image/jpeg' }), 'kit.jpg');
    const returned = await this.api.call<{ status: string }>('POST /vision_api/transactions/:id/return', `/vision_api/transactions/${issued.body.id}/return`, { token, body: form });
    if (returned.status !== 200 && returned.status !== 201) {
      this.activity.kits.failed += 1;
      return;
    }
    this.activity.kits.returned[returned.body.status] = (this.activity.kits.returned[returned.body.status] ?? 0) + 1;
  }

  /** The drone's camera: a live-encoded test pattern with its running clock, over RTMP. */
  private publish(drone: SimDrone): void {
    drone.publisher = publishLivePattern(`${this.options.rtmpUrl}/live/${drone.streamKey}`);
    drone.publishedAt = Date.now();
    this.activity.dronesPublishing += 1;
    void drone.publisher.exited.then(() => {
      this.activity.dronesPublishing -= 1;
      // The ingest went away (a restart, a fault): the drone reconnects, as a real one does.
      if (!this.stopped) setTimeout(() => !this.stopped && this.publish(drone), 2_000).unref();
    });
  }

  /** A sample a second along a straight stretch of track, on the stream's clock. */
  private async telemetry(drone: SimDrone): Promise<void> {
    drone.step += 1;
    const ts = new Date().toISOString();
    const answer = await this.api.call('POST /video_api/drones/:id/telemetry', `/video_api/drones/${drone.id}/telemetry`, {
      token: await drone.tokens.token(),
      json: {
        ts,
        lat: 52.37 + drone.step * 0.00005,
        lon: 4.89 + drone.step * 0.00003,
        alt_m: 100 + (drone.step % 20),
        speed_mps: 6,
        heading_deg: 45,
        battery_pct: Math.max(5, 100 - drone.step * 0.05),
        signal_dbm: -60,
        ...(drone.publishedAt ? { stream_ms: Date.now() - drone.publishedAt } : {}),
      },
    });
    if (answer.status === 202) {
      this.activity.telemetry.accepted += 1;
      this.options.ledger?.telemetryAccepted({ droneId: drone.id, ts });
    } else this.activity.telemetry.refused += 1;
  }

  /** The operator and the admin in the lobby, talking now and then (back after every dropped connection). */
  private async startChat(): Promise<void> {
    const events = { sent: () => (this.activity.chat.sent += 1), heard: () => (this.activity.chat.received += 1) };
    this.chatters = [this.operator, this.admin].map((tokens, i) => new ChatActor(this.options.gatewayUrl, tokens, 'lobby', () => `${i ? 'Admin' : 'Operator'}: platform 1 all clear (${new Date().toLocaleTimeString()})`, events));
    this.chatters.forEach((actor) => void actor.run(5_000));
  }

  private count(decision: TicketDecision | 'replayed' | 'failed'): void {
    this.activity.checks[decision] = (this.activity.checks[decision] ?? 0) + 1;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function pick<T>(items: readonly T[]): T {
  return items[Math.floor(Math.random() * items.length)];
}
