import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import amqp from 'amqplib';
import { ChromaClient } from 'chromadb';
import { Client } from 'pg';
import { TicketDecision } from '@fleet/contracts';
import { Ledger } from './ledger';

const run = promisify(execFile);

/** One invariant's verdict, with the counts behind it. */
export interface InvariantResult {
  name: string;
  ok: boolean;
  /** The counts it rests on, e.g. "1,204 acknowledged checks, 1,204 recorded". */
  counts: string;
  /** What broke, when it did (the first few). */
  violations: string[];
}

/** What the checks need to know about the run. */
export interface InvariantContext {
  ledger: Ledger;
  databaseUrl: string;
  chromaUrl?: string;
  vhost?: string;
  amqpUrl?: string;
  shopId?: string;
  productIds: string[];
  initialStock: number;
  /** The body of the poison message the run put on a queue on purpose. */
  poison: string;
}

const sample = (items: string[]) => items.slice(0, 5);
const verdict = (name: string, counts: string, violations: string[]): InvariantResult => ({ name, ok: violations.length === 0, counts, violations: sample(violations) });

/** Every invariant of the run, each against the real stores: Postgres, ChromaDB, RabbitMQ. */
export async function checkInvariants(context: InvariantContext): Promise<InvariantResult[]> {
  const db = new Client({ connectionString: context.databaseUrl });
  await db.connect();
  try {
    return [
      await ticketsUsedOnce(db, context.ledger),
      await stockAddsUp(db, context),
      await ordersExactlyOnce(db, context.ledger),
      await translationsFinished(db, context.ledger),
      await telemetryStored(db, context.ledger),
      await chatStoredWithoutGaps(db, context.ledger),
      await facesInBothStores(db, context),
      await queuesDrained(context),
    ];
  } finally {
    await db.end();
  }
}

/** No ticket consumed twice; every 200 to a check has its decision recorded (robot + nonce). */
async function ticketsUsedOnce(db: Client, ledger: Ledger): Promise<InvariantResult> {
  const violations: string[] = [];
  const twice = await db.query<{ ticket_code: string; uses: string }>(
    `SELECT ticket_code, count(*) AS uses FROM base.ticket_check WHERE decision = 'valid' GROUP BY ticket_code HAVING count(*) > 1`,
  );
  for (const row of twice.rows) violations.push(`ticket ${row.ticket_code} was let in ${row.uses} times`);
  const recorded = await db.query<{ robot_id: string; nonce: string; decision: string }>('SELECT robot_id, nonce, decision FROM base.ticket_check');
  const byKey = new Map(recorded.rows.map((row) => [`${row.robot_id}/${row.nonce}`, row.decision]));
  let matched = 0;
  for (const check of ledger.ticketChecks) {
    const decision = byKey.get(`${check.robotId}/${check.nonce}`);
    if (decision === undefined) violations.push(`check ${check.nonce} of ${check.code} answered ${check.decision} but has no record`);
    else if (decision !== check.decision) violations.push(`check ${check.nonce} of ${check.code} answered ${check.decision}, recorded ${decision}`);
    else matched += 1;
  }
  // The client's view: two gates (or a retry) must never both have been told "valid" for one ticket.
  const validAnswers = new Map<string, Set<string>>();
  for (const check of ledger.ticketChecks.filter((c) => c.decision === TicketDecision.Valid)) {
    validAnswers.set(check.code, (validAnswers.get(check.code) ?? new Set()).add(check.nonce));
  }
  for (const [code, nonces] of validAnswers) if (nonces.size > 1) violations.push(`ticket ${code} answered valid to ${nonces.size} different scans`);
  return verdict('tickets: none used twice, every 200 recorded', `${ledger.ticketChecks.length} acknowledged checks, ${matched} matched their record, ${validAnswers.size} tickets let in, ${recorded.rowCount} checks recorded`, violations);
}

/** For each product: the starting stock = units sold (orders not cancelled) + units left. */
async function stockAddsUp(db: Client, context: InvariantContext): Promise<InvariantResult> {
  const violations: string[] = [];
  const rows = await db.query<{ id: string; name: string; stock: number; sold: string }>(
    `SELECT p.id, p.name, p.stock,
            COALESCE((SELECT sum(i.quantity) FROM store.order_item i JOIN store.orders o ON o.id = i.order_id WHERE i.product_id = p.id AND o.status <> 'cancelled'), 0) AS sold
       FROM store.product p WHERE p.id = ANY($1::uuid[])`,
    [context.productIds],
  );
  const lines: string[] = [];
  for (const row of rows.rows) {
    const sold = Number(row.sold);
    lines.push(`${row.name.split(' ')[0]} ${sold} sold + ${row.stock} left`);
    if (sold + row.stock !== context.initialStock) violations.push(`${row.name}: ${sold} sold + ${row.stock} left ≠ ${context.initialStock} at the start`);
  }
  if (rows.rowCount !== context.productIds.length) violations.push(`${context.productIds.length - (rows.rowCount ?? 0)} product(s) missing`);
  return verdict('stock: start = sold + left', `${context.initialStock} each at the start; ${lines.join('; ')}`, violations);
}

/** Every order answered 2xx exists exactly once; a retried key never answered a second order. */
async function ordersExactlyOnce(db: Client, ledger: Ledger): Promise<InvariantResult> {
  const violations: string[] = [];
  const ids = [...ledger.orders.values()].flatMap((entry) => [...entry.orderIds]);
  for (const [key, entry] of ledger.orders) if (entry.orderIds.size > 1) violations.push(`key ${key} answered ${entry.orderIds.size} different orders`);
  const found = await db.query<{ id: string; n: string }>('SELECT id, count(*) OVER (PARTITION BY id) AS n FROM store.orders WHERE id = ANY($1::uuid[])', [ids]);
  const present = new Set(found.rows.map((row) => row.id));
  for (const id of ids) if (!present.has(id)) violations.push(`order ${id} was answered 2xx but is not in store.orders`);
  const keys = await db.query<{ n: string }>('SELECT count(*) AS n FROM store.orders o JOIN store.order_item i ON i.order_id = o.id');
  return verdict('orders: each acknowledged once', `${ledger.orders.size} keys answered 2xx, ${present.size} orders found, ${keys.rows[0].n} order lines in the store`, violations);
}

/** Every accepted translation job ended completed, or failed with a reason; none left queued or running. */
async function translationsFinished(db: Client, ledger: Ledger): Promise<InvariantResult> {
  const violations: string[] = [];
  const rows = await db.query<{ id: string; status: string; error: string | null }>('SELECT id, status, error FROM translator.job WHERE id = ANY($1::uuid[])', [ledger.jobs]);
  const byStatus: Record<string, number> = {};
  for (const row of rows.rows) {
    byStatus[row.status] = (byStatus[row.status] ?? 0) + 1;
    if (row.status === 'failed' && !row.error?.trim()) violations.push(`job ${row.id} failed without a reason`);
    else if (row.status !== 'completed' && row.status !== 'failed') violations.push(`job ${row.id} is still ${row.status}`);
  }
  const found = new Set(rows.rows.map((row) => row.id));
  for (const id of ledger.jobs) if (!found.has(id)) violations.push(`job ${id} was accepted but does not exist`);
  const failedReasons = rows.rows.filter((row) => row.status === 'failed').map((row) => row.error!.slice(0, 80));
  return verdict(
    'translations: every accepted job finished',
    `${ledger.jobs.length} accepted: ${Object.entries(byStatus).map(([status, n]) => `${n} ${status}`).join(', ') || 'none'}${failedReasons.length ? ` (failed: ${[...new Set(failedReasons)].join('; ')})` : ''}`,
    violations,
  );
}

/** Every telemetry sample answered 202 is stored. */
async function telemetryStored(db: Client, ledger: Ledger): Promise<InvariantResult> {
  const violations: string[] = [];
  const drones = [...new Set(ledger.telemetry.map((sample) => sample.droneId))];
  const rows = await db.query<{ drone_id: string; ms: string }>('SELECT drone_id, (extract(epoch FROM ts) * 1000)::bigint::text AS ms FROM video.telemetry WHERE drone_id = ANY($1::uuid[])', [drones]);
  const stored = new Set(rows.rows.map((row) => `${row.drone_id}/${row.ms}`));
  let found = 0;
  for (const sample of ledger.telemetry) {
    if (stored.has(`${sample.droneId}/${Date.parse(sample.ts)}`)) found += 1;
    else violations.push(`sample ${sample.ts} of drone ${sample.droneId} answered 202 but is not stored`);
  }
  return verdict('telemetry: every 202 stored', `${ledger.telemetry.length} answered 202, ${found} stored (${rows.rowCount} rows for these drones)`, violations);
}

/** Every acknowledged chat message is in its room's history; every room's seq runs 1..n without a gap. */
async function chatStoredWithoutGaps(db: Client, ledger: Ledger): Promise<InvariantResult> {
  const violations: string[] = [];
  const rows = await db.query<{ room: string; seq: string; content: string }>('SELECT room, seq::text, content FROM base.message');
  const stored = new Map(rows.rows.map((row) => [`${row.room}/${row.seq}`, row.content]));
  for (const message of ledger.chat) {
    const content = stored.get(`${message.room}/${message.seq}`);
    if (content !== message.content) violations.push(`${message.room} #${message.seq} "${message.content}" was acknowledged, stored: ${content === undefined ? 'nothing' : `"${content}"`}`);
  }
  const gaps = await db.query<{ room: string; n: string; max: string }>('SELECT room, count(*)::text AS n, max(seq)::text AS max FROM base.message GROUP BY room');
  for (const room of gaps.rows) if (room.n !== room.max) violations.push(`room ${room.room} holds ${room.n} messages but its last seq is ${room.max}: a gap`);
  return verdict('chat: acknowledged = stored, no seq gaps', `${ledger.chat.length} acknowledged, ${rows.rowCount} stored in ${gaps.rowCount} rooms`, violations);
}

/**
 * Every acknowledged enrolment's templates are in Postgres and in ChromaDB (after the ChromaDB kill
 * and the index rebuild), and no template is in one store and not the other.
 */
async function facesInBothStores(db: Client, context: InvariantContext): Promise<InvariantResult> {
  const violations: string[] = [];
  const templates = await db.query<{ id: string; person_id: string }>('SELECT id, person_id FROM face.template');
  const perPerson = new Map<string, number>();
  for (const row of templates.rows) perPerson.set(row.person_id, (perPerson.get(row.person_id) ?? 0) + 1);
  for (const enrolment of context.ledger.enrolments) {
    const stored = perPerson.get(`engineer:${enrolment.engineerId}`) ?? 0;
    if (stored < enrolment.totalTemplates) violations.push(`engineer ${enrolment.engineerId}: ${enrolment.totalTemplates} templates acknowledged, ${stored} in Postgres`);
  }
  let indexed = 0;
  if (context.chromaUrl) {
    const url = new URL(context.chromaUrl);
    const chroma = new ChromaClient({ host: url.hostname, port: Number(url.port) });
    const ids = new Set<string>();
    for (const collection of await chroma.listCollections()) {
      const all = await collection.get({ include: [] });
      all.ids.forEach((id) => ids.add(id));
    }
    indexed = ids.size;
    const inPostgres = new Set(templates.rows.map((row) => row.id));
    for (const id of inPostgres) if (!ids.has(id)) violations.push(`template ${id} is in Postgres, not in ChromaDB`);
    for (const id of ids) if (!inPostgres.has(id)) violations.push(`template ${id} is in ChromaDB, not in Postgres (half-written)`);
  }
  return verdict(
    'faces: acknowledged templates in Postgres and ChromaDB',
    `${context.ledger.enrolments.length} enrolments acknowledged, ${templates.rowCount} templates in Postgres, ${indexed} in ChromaDB`,
    violations,
  );
}

interface QueueRow {
  name: string;
  messages_ready: number;
  messages_unacknowledged: number;
}

/** The vhost's queues now. */
export async function listQueues(vhost: string): Promise<QueueRow[]> {
  const { stdout } = await run('rabbitmqctl', ['-q', 'list_queues', '-p', vhost, 'name', 'messages_ready', 'messages_unacknowledged', '--formatter', 'json']);
  return JSON.parse(stdout || '[]') as QueueRow[];
}

/** Nothing unacknowledged in any queue; everything dead-lettered is listed and explained (only the run's own poison message is fine). */
async function queuesDrained(context: InvariantContext): Promise<InvariantResult> {
  if (!context.vhost || !context.amqpUrl) return verdict('queues: drained, dead letters explained', 'the fleet used a shared vhost: not checked', ['no vhost of its own to inspect']);
  const violations: string[] = [];
  const queues = await listQueues(context.vhost);
  const deadLetterQueues = queues.filter((queue) => queue.name.endsWith('.dlq'));
  for (const queue of queues.filter((q) => !q.name.endsWith('.dlq'))) {
    if (queue.messages_ready + queue.messages_unacknowledged > 0) violations.push(`${queue.name}: ${queue.messages_ready} ready, ${queue.messages_unacknowledged} unacknowledged after the load stopped`);
  }
  const letters: string[] = [];
  let poisonFound = false;
  const connection = await amqp.connect(context.amqpUrl);
  try {
    const channel = await connection.createChannel();
    for (const queue of deadLetterQueues.filter((q) => q.messages_ready > 0)) {
      // Read without removing: everything is requeued when the channel closes.
      for (let message = await channel.get(queue.name, { noAck: false }); message; message = await channel.get(queue.name, { noAck: false })) {
        const body = message.content.toString();
        const death = (message.properties.headers?.['x-death'] as Array<{ reason?: string; queue?: string }> | undefined)?.[0];
        const poison = body === context.poison;
        poisonFound ||= poison;
        const line = `${queue.name}: ${poison ? 'the run’s poison message' : body.slice(0, 120)} (${death?.reason ?? 'no x-death'} from ${death?.queue ?? '?'})`;
        letters.push(line);
        if (!poison) violations.push(`a good message was dead-lettered: ${line}`);
      }
    }
    await channel.close();
  } finally {
    await connection.close();
  }
  if (!poisonFound) violations.push('the run’s poison message is in no dead-letter queue: dropped without a trace');
  return verdict(
    'queues: drained, dead letters explained',
    `${queues.length} queues, ${deadLetterQueues.length} dead-letter queues; dead letters: ${letters.length ? letters.join('; ') : 'none'}`,
    violations,
  );
}
