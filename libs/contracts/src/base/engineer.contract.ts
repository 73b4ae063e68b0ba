import { ArrayMaxSize, IsArray, IsBoolean, IsEnum, IsISO8601, IsString, IsUUID, MaxLength } from 'class-validator';
import { defineEvent } from '../rpc';

/** What an engineer is trained and allowed to do at the station. */
export enum EngineerRole {
  Technician = 'technician',
  Electrician = 'electrician',
  Mechanic = 'mechanic',
  Signalling = 'signalling',
  Track = 'track',
  Supervisor = 'supervisor',
}

export const ENGINEER_ROLES: readonly EngineerRole[] = Object.values(EngineerRole);

/**
 * The whole current state of one engineer, as base publishes it after every change. Consumers
 * mirror it (upsert by `engineer_id`, keep the highest `version`): every event carries the full
 * state, so a consumer never needs an earlier event to apply a later one, and a redelivered or
 * out-of-order event whose version is not newer is simply ignored. Deliberately no contact
 * data: consumers need who someone is and what they may do, nothing else.
 */
export class EngineerEventParams {
  @IsUUID()
  engineer_id!: string;

  @IsString() @MaxLength(32)
  employee_number!: string;

  /** Given and family name as one display string. */
  @IsString() @MaxLength(201)
  name!: string;

  @IsBoolean()
  active!: boolean;

  @IsArray() @ArrayMaxSize(16) @IsEnum(EngineerRole, { each: true })
  roles!: EngineerRole[];

  /** Grows by one with every change of this engineer (1 on creation). */
  @IsString()
  version!: string;

  /** When base committed the change. */
  @IsISO8601()
  occurred_at!: string;
}

/**
 * Base publishes these through an outbox, in commit order per engineer, to the fleet's event
 * exchange; every service that mirrors engineers (vision, for toolkit transactions) binds its
 * own queue to them.
 */
export const EngineerCreatedEvent = defineEvent('base.engineer.created.v1', EngineerEventParams);
export const EngineerChangedEvent = defineEvent('base.engineer.changed.v1', EngineerEventParams);
export const EngineerDeactivatedEvent = defineEvent('base.engineer.deactivated.v1', EngineerEventParams);

/** What `GET /base_api/robot/users/:id` returns: only what the robot shows on its screen. */
export interface RobotUserView {
  id: string;
  display_name: string;
  roles: EngineerRole[];
  active: boolean;
}
