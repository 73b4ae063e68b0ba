import { Column, Entity, PrimaryColumn } from 'typeorm';
import { FACE_SCHEMA } from '../database/face.schema';

@Entity({ schema: FACE_SCHEMA, name: 'person' })
export class PersonEntity {
  @PrimaryColumn('text')
  id!: string;

  @Column('timestamptz', { name: 'created_at', default: () => 'now()' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' })
  updatedAt!: Date;
}
