/** Robots' heartbeat and the operators' view of them. */
export enum RobotState {
  Idle = 'idle',
  Busy = 'busy',
  Charging = 'charging',
  Error = 'error',
  Maintenance = 'maintenance',
}

export interface RobotPosition {
  x: number;
  y: number;
  zone?: string;
}

export interface RobotHeartbeat {
  battery: number;
  state: RobotState;
  position?: RobotPosition;
}

export interface RobotResponse {
  id: string;
  name: string;
  station: string;
  assigned_train: string | null;
  keycloak_client_id: string;
  active: boolean;
  /** A heartbeat arrived within the online window (kept in Redis with an expiry). */
  online: boolean;
  last_status: (RobotHeartbeat & { received_at: string }) | null;
  created_at: string;
}
