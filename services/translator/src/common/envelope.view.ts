import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { TranslatorEnvelope } from '@fleet/contracts';

/** A refused or failed translator request: the error side of the `{ status, message, data | error }` envelope. */
export class EnvelopeErrorView implements TranslatorEnvelope<never> {
  @ApiProperty({ enum: ['error'] })
  status!: 'error';
  /** The kind of failure ("Bad Request", "Upload refused"). */
  message!: string;
  /** What went wrong, in words. */
  error!: string;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'array', items: { type: 'string' } },
    description: 'Field -> messages of a refused request body or query (400).',
  })
  details?: Record<string, string[]>;
  /** The request's X-Request-ID. */
  request_id!: string | null;
}
