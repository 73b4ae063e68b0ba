import { createHmac, timingSafeEqual } from 'node:crypto';

/** The fields a boarding decision's signature covers, in this order (the canonical form). */
export interface BoardingDecisionRecord {
  id: string;
  robot_id: string;
  ticket_code: string;
  ticket_id: string | null;
  ticket_decision: string;
  ticket_check_id: string | null;
  outcome: string;
  face_similarity: number | null;
  face_threshold: number | null;
  liveness: { mode: string; passed: boolean; frame_variation?: number; live_score?: number } | null;
  decided_at: string;
}

function canonical(record: BoardingDecisionRecord): string {
  const fields: Array<keyof BoardingDecisionRecord> = ['id', 'robot_id', 'ticket_code', 'ticket_id', 'ticket_decision', 'ticket_check_id', 'outcome', 'face_similarity', 'face_threshold', 'liveness', 'decided_at'];
  // Reals go through Postgres `real`: sign them at the precision they are stored with. jsonb
  // reorders object keys, so nested objects are signed with sorted keys.
  const value = (key: keyof BoardingDecisionRecord): unknown => {
    const v = record[key];
    if (typeof v === 'number') return Number(Math.fround(v).toPrecision(6));
    if (v !== null && typeof v === 'object') return Object.entries(v).sort(([a], [b]) => a.localeCompare(b));
    return v;
  };
  return JSON.stringify(fields.map((key) => [key, value(key)]));
}

/** `v1=<hex HMAC-SHA256 of the canonical JSON>`. */
export function signBoardingDecision(record: BoardingDecisionRecord, key: string): string {
  return `v1=${createHmac('sha256', key).update(canonical(record)).digest('hex')}`;
}

export function boardingSignatureValid(record: BoardingDecisionRecord, signature: string, key: string): boolean {
  const expected = Buffer.from(signBoardingDecision(record, key));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
