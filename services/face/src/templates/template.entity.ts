import { Column, Entity, PrimaryColumn } from 'typeorm';
import { FACE_SCHEMA } from '../database/face.schema';

@Entity({ schema: FACE_SCHEMA, name: 'template' })
export class TemplateEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('text', { name: 'person_id' })
  personId!: string;

  @Column('text', { name: 'model_version' })
  modelVersion!: string;

  @Column('real', { array: true })
  embedding!: number[];

  @Column('real', { name: 'detection_score' })
  detectionScore!: number;

  @Column('integer', { name: 'face_size' })
  faceSize!: number;

  @Column('timestamptz', { name: 'created_at', default: () => 'now()' })
  createdAt!: Date;
}
