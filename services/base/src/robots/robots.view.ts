import { RobotResponse, RobotState } from '@fleet/contracts';
import { RobotCredentials } from './robots.service';

/** Where the robot last said it was. */
export class RobotPositionView {
  x!: number;
  y!: number;
  zone?: string;
}

/** The robot's last heartbeat (kept until the next one, even while offline). */
export class RobotStatusView {
  /** Percent, 0-100. */
  battery!: number;
  state!: RobotState;
  position?: RobotPositionView;
  received_at!: string;
}

/** A robot of the registry, with its live state. */
export class RobotView implements RobotResponse {
  id!: string;
  name!: string;
  station!: string;
  /** When set, the robot refuses tickets of other trains (`wrong_train`). */
  assigned_train!: string | null;
  /** The Keycloak client the robot signs in as (the token's `azp`). */
  keycloak_client_id!: string;
  /** An inactive robot's tokens are refused. */
  active!: boolean;
  /** A heartbeat arrived within the online window. */
  online!: boolean;
  /** Null until the first heartbeat. */
  last_status!: RobotStatusView | null;
  created_at!: string;
}

/** The robot's client credentials, answered once: at registration and when the secret is rotated. */
export class RobotCredentialsView implements RobotCredentials {
  client_id!: string;
  /** Shown once. Null when the client existed before (made by hand) or no provisioner is configured. */
  client_secret!: string | null;
}

/** A registered robot and its client credentials (the secret is shown once). */
export class RegisteredRobotView extends RobotView implements RobotCredentials {
  client_id!: string;
  /** Shown once. Null when the client existed before (made by hand) or no provisioner is configured. */
  client_secret!: string | null;
}

/** The heartbeat's receipt. */
export class HeartbeatAckView {
  robot_id!: string;
  /** The robot counts as online this long without another heartbeat. */
  online_for_seconds!: number;
  received_at!: string;
}
