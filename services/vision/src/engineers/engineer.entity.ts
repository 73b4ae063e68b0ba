import { Column, Entity, PrimaryColumn } from 'typeorm';
import { VISION_SCHEMA } from '../database/vision.schema';

/** What vision keeps of base's engineers, mirrored from base's events (base owns them). */
@Entity({ schema: VISION_SCHEMA, name: 'engineer' })
export class EngineerEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'employee_number', type: 'text' })
  employeeNumber!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'boolean' })
  active!: boolean;

  /** base's version of this engineer; older or equal versions are ignored. */
  @Column({ type: 'bigint' })
  version!: string;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
