import { PersonEntity } from '../templates/person.entity';
import { TemplateEntity } from '../templates/template.entity';

/** Every entity of the face schema, listed explicitly. */
export const FACE_ENTITIES: Function[] = [PersonEntity, TemplateEntity];
