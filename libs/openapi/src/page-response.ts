import { applyDecorators, Type } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, getSchemaPath } from '@nestjs/swagger';

/**
 * The OpenAPI answer of an offset list (`{ items, total, limit, offset }`, README "API
 * conventions"): the swagger plugin cannot describe the generic `Page<T>`, so a list route says
 * which item class it pages: `@ApiPage(TicketView)`.
 */
export function ApiPage(item: Type<unknown>, description?: string): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(item),
    ApiOkResponse({
      description,
      schema: {
        type: 'object',
        required: ['items', 'total', 'limit', 'offset'],
        properties: {
          items: { type: 'array', items: { $ref: getSchemaPath(item) } },
          total: { type: 'integer', minimum: 0 },
          limit: { type: 'integer', minimum: 1 },
          offset: { type: 'integer', minimum: 0 },
        },
      },
    }),
  );
}

/** The answer of a cursor list (`{ items, next_cursor }`): `@ApiCursorPage(ChatMessageView)`. */
export function ApiCursorPage(item: Type<unknown>, description?: string): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(item),
    ApiOkResponse({
      description,
      schema: {
        type: 'object',
        required: ['items', 'next_cursor'],
        properties: {
          items: { type: 'array', items: { $ref: getSchemaPath(item) } },
          next_cursor: { type: 'string', nullable: true, description: 'Pass as `cursor` for the next page; null on the last page.' },
        },
      },
    }),
  );
}

/** A plain JSON array answer of `item` objects: `@ApiList(RoomView)`. */
export function ApiList(item: Type<unknown>, description?: string): MethodDecorator & ClassDecorator {
  return applyDecorators(ApiExtraModels(item), ApiOkResponse({ description, type: item, isArray: true }));
}
