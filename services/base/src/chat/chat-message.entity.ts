import { Column, Entity, PrimaryColumn } from 'typeorm';
import { BASE_SCHEMA } from '../database/base.schema';
import { bigintAsNumber } from './bigint.transformer';

@Entity({ schema: BASE_SCHEMA, name: 'message' })
export class ChatMessageEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  room!: string;

  /** Position in its room: 1, 2, 3… without gaps (unique with `room`). */
  @Column({ type: 'bigint', transformer: bigintAsNumber })
  seq!: number;

  @Column({ type: 'text' })
  content!: string;

  /** Subject of the sender's verified token; never taken from the frame. */
  @Column({ name: 'user_id', type: 'text' })
  userId!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
