import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import assert from 'node:assert/strict';
import { AuthUser } from '@fleet/auth';
import { RobotDirectory } from './robot-directory';
import { RobotRow, RobotsRepository } from './robots.repository';

function robotRow(clientId: string, overrides: Partial<RobotRow> = {}): RobotRow {
  return { id: `id-${clientId}`, name: clientId, station: 'Central', assigned_train: null, keycloak_client_id: clientId, active: true, last_status: null, created_at: new Date(0), ...overrides } as RobotRow;
}

const user = (clientId: string) => ({ sub: `sa-${clientId}`, clientId, roles: ['robot'] }) as unknown as AuthUser;

/** Lets the refresh's awaited query settle. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe(RobotDirectory.name, () => {
  let rows: Map<string, RobotRow>;
  let single: number;
  let batches: string[][];
  let sut: RobotDirectory;

  beforeEach(() => {
    mock.timers.enable({ apis: ['setInterval', 'Date'] });
    rows = new Map([['r1', robotRow('r1')], ['r2', robotRow('r2')]]);
    single = 0;
    batches = [];
    const repository = {
      getByClientId: async (clientId: string) => (single++, rows.get(clientId) ?? null),
      getByClientIds: async (clientIds: string[]) => (batches.push(clientIds), new Map(clientIds.filter((id) => rows.has(id)).map((id) => [id, rows.get(id)!]))),
    } as unknown as RobotsRepository;
    sut = new RobotDirectory(repository);
  });

  afterEach(() => {
    sut.onModuleDestroy();
    mock.timers.reset();
  });

  it('reloads the robots in use in one query, so a lookup in use never queries on its own again', async () => {
    await sut.resolve(user('r1'));
    await sut.resolve(user('r2'));
    assert.equal(single, 2);
    for (let i = 0; i < 8; i++) {
      mock.timers.tick(2500);
      await settle();
      await sut.resolve(user('r1'));
      await sut.resolve(user('r2'));
    }
    assert.equal(single, 2, 'no lookup of its own after the first');
    assert.equal(batches.length, 8);
    assert.deepEqual(batches[0].sort(), ['r1', 'r2']);
  });

  it('sees an edit made elsewhere within 5 s: a deactivation, a removal', async () => {
    await sut.resolve(user('r1'));
    await sut.resolve(user('r2'));
    rows.set('r1', robotRow('r1', { active: false }));
    rows.delete('r2');
    mock.timers.tick(2500);
    await settle();
    await assert.rejects(sut.resolve(user('r1')), /deactivated/);
    await assert.rejects(sut.resolve(user('r2')), /No robot is registered/);
  });

  it('does not keep a read that started before a forget: it may hold the row from before the edit', async () => {
    let release!: (row: RobotRow) => void;
    const repository = (sut as unknown as { robots: { getByClientId: (id: string) => Promise<RobotRow | null> } }).robots;
    repository.getByClientId = () => (single++, new Promise<RobotRow>((resolve) => (release = resolve)));
    const early = sut.resolve(user('r1'));
    // The edit commits and is announced while that read is in flight; the read then returns the old row.
    rows.set('r1', robotRow('r1', { active: false }));
    sut.forget('r1');
    release(robotRow('r1'));
    await early;
    repository.getByClientId = async (clientId: string) => (single++, rows.get(clientId) ?? null);
    await assert.rejects(sut.resolve(user('r1')), /deactivated/);
    assert.equal(single, 2);

    // The same after forgetAll (a resubscription).
    const late = sut.resolve(user('r2'));
    sut.forgetAll();
    rows.set('r2', robotRow('r2', { active: false }));
    await late;
    await assert.rejects(sut.resolve(user('r2')), /deactivated/);
  });

  it('still expires entries after 5 s when the refresh fails, and drops idle ones', async () => {
    await sut.resolve(user('r1'));
    (sut as unknown as { robots: { getByClientIds: () => Promise<never> } }).robots.getByClientIds = () => Promise.reject(new Error('down'));
    mock.timers.tick(2500);
    await settle();
    mock.timers.tick(2500);
    await settle();
    await sut.resolve(user('r1'));
    assert.equal(single, 2, 'an entry older than 5 s is read again');
    (sut as unknown as { robots: { getByClientIds: (ids: string[]) => Promise<Map<string, RobotRow>> } }).robots.getByClientIds = async (ids) => (batches.push(ids), new Map());
    for (let i = 0; i < 26; i++) {
      mock.timers.tick(2500);
      await settle();
    }
    const before = batches.length;
    mock.timers.tick(2500);
    await settle();
    assert.equal(batches.length, before, 'nothing left to refresh after a minute unused');
  });
});
