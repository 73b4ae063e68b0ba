import type { EngineerRole } from './engineers-api';

/** A label for every role of the API's enum (a new role fails the typecheck until it has one). */
const ROLE_LABELS: Record<EngineerRole, string> = {
  technician: 'Technician',
  electrician: 'Electrician',
  mechanic: 'Mechanic',
  signalling: 'Signalling',
  track: 'Track',
  supervisor: 'Supervisor',
};

export const ENGINEER_ROLES = Object.entries(ROLE_LABELS).map(([value, label]) => ({ value: value as EngineerRole, label }));

export const roleLabel = (role: string): string => ROLE_LABELS[role as EngineerRole] ?? role;

export const isEngineerRole = (value: string | null | undefined): value is EngineerRole => value !== null && value !== undefined && value in ROLE_LABELS;
