import { EngineerRole, RobotUserView as RobotUserContract } from '@fleet/contracts';

/** An engineer as operators manage them. */
export class EngineerView {
  id!: string;
  /** Unique among engineers: 1-32 letters, digits or "-". */
  employee_number!: string;
  first_name!: string;
  last_name!: string;
  email!: string | null;
  phone!: string | null;
  roles!: EngineerRole[];
  /** False once deactivated (deactivation cannot be undone). */
  active!: boolean;
  /** Grows by one with every change (1 on creation); the events towards other services carry it. */
  version!: string;
  created_at!: string;
  updated_at!: string;
  deactivated_at!: string | null;
}

/** The engineer event outbox towards other services. */
export class EngineerOutboxView {
  /** Events not yet published. */
  pending!: number;
  published!: number;
  /** Why the oldest pending event could not be published yet; null when nothing waits or no attempt failed. */
  last_error!: string | null;
}

/** What a robot may show about a user: no contact data, no employee number. */
export class RobotUserView implements RobotUserContract {
  id!: string;
  /** Given name and the family name's initial ("Franck E."). */
  display_name!: string;
  roles!: EngineerRole[];
  active!: boolean;
}
