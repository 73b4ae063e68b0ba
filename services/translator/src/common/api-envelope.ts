import { applyDecorators, HttpStatus, Type } from '@nestjs/common';
import { ApiDefaultResponse, ApiExtraModels, ApiResponse, ApiResponseSchemaHost, getSchemaPath } from '@nestjs/swagger';
import { EnvelopeErrorView } from './envelope.view';

type SchemaObject = ApiResponseSchemaHost['schema'];

export interface EnvelopeOptions {
  /** The envelope's `message` on success (what `@EnvelopeMessage` sets). */
  message: string;
  description: string;
  status?: HttpStatus;
  /** `data` is an offset page of `data` items (`{ items, total, limit, offset }`). */
  page?: boolean;
}

function pageOf(item: SchemaObject): SchemaObject {
  return {
    type: 'object',
    required: ['items', 'total', 'limit', 'offset'],
    properties: {
      items: { type: 'array', items: item },
      total: { type: 'integer', minimum: 0 },
      limit: { type: 'integer', minimum: 1 },
      offset: { type: 'integer', minimum: 0 },
    },
  };
}

/**
 * Every error of a translator route: the envelope's error side. The swagger plugin cannot see
 * the envelope (an interceptor or filter adds it), so routes declare it.
 */
export const ApiEnvelopeError = () => applyDecorators(ApiExtraModels(EnvelopeErrorView), ApiDefaultResponse({ description: 'Refused or failed, in the envelope', type: EnvelopeErrorView }));

/** A success answer in the translator's envelope: `{ status: "success", message, data }` with `data` a `data` (or a page of them). */
export function ApiEnvelope(data: Type<unknown>, options: EnvelopeOptions): MethodDecorator {
  const item: SchemaObject = { $ref: getSchemaPath(data) };
  return applyDecorators(
    ApiExtraModels(data),
    ApiResponse({
      status: options.status ?? HttpStatus.OK,
      description: options.description,
      schema: {
        type: 'object',
        required: ['status', 'message', 'data'],
        properties: {
          status: { type: 'string', enum: ['success'] },
          message: { type: 'string', example: options.message },
          data: options.page ? pageOf(item) : item,
        },
      },
    }),
    ApiEnvelopeError(),
  );
}
