import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BoardingDecisionRecord, boardingSignatureValid, signBoardingDecision } from '../src/face-auth/boarding-signature';

const KEY = 'a-test-key-of-at-least-thirty-two-chars';
const record: BoardingDecisionRecord = {
  id: '6c1f0d1e-9d5a-4b8e-8f43-0a6c8d1e2f30',
  robot_id: '0b7d2c4e-1a2b-4c3d-8e9f-112233445566',
  ticket_code: 'IC-9-001',
  ticket_id: '7d8e9f00-1122-4334-8556-778899aabbcc',
  ticket_decision: 'valid',
  ticket_check_id: '8e9f0011-2233-4445-8667-8899aabbccdd',
  outcome: 'boarded',
  face_similarity: 0.8123,
  face_threshold: 0.5,
  liveness: { mode: 'motion', passed: true, frame_variation: 7.41, live_score: 0.12 },
  decided_at: '2026-11-23T15:00:00.123Z',
};

describe('boarding decision signatures', () => {
  it('verify what was signed, also after Postgres round trips (real precision, jsonb key order)', () => {
    const signature = signBoardingDecision(record, KEY);
    assert.match(signature, /^v1=[0-9a-f]{64}$/);
    const fromDatabase = { ...record, face_similarity: Math.fround(0.8123), liveness: { frame_variation: 7.41, live_score: 0.12, mode: 'motion', passed: true } };
    assert.equal(boardingSignatureValid(fromDatabase, signature, KEY), true);
  });

  it('reject an altered record, another key, or a forged signature', () => {
    const signature = signBoardingDecision(record, KEY);
    assert.equal(boardingSignatureValid({ ...record, outcome: 'face_mismatch' }, signature, KEY), false);
    assert.equal(boardingSignatureValid({ ...record, face_similarity: 0.4 }, signature, KEY), false);
    assert.equal(boardingSignatureValid(record, signature, `${KEY}-other`), false);
    assert.equal(boardingSignatureValid(record, 'v1=00', KEY), false);
  });
});
