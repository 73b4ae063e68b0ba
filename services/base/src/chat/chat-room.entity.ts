import { Column, Entity, PrimaryColumn } from 'typeorm';
import { BASE_SCHEMA } from '../database/base.schema';
import { bigintAsNumber } from './bigint.transformer';

@Entity({ schema: BASE_SCHEMA, name: 'room' })
export class ChatRoomEntity {
  @PrimaryColumn({ type: 'text' })
  name!: string;

  /** Seq of the room's newest message (0 when empty); bumped only by ChatRepository.appendMessages. */
  @Column({ name: 'last_seq', type: 'bigint', transformer: bigintAsNumber })
  lastSeq!: number;

  /** Token subject of the operator who created it (`system` for the seeded lobby). */
  @Column({ name: 'created_by', type: 'text' })
  createdBy!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
