import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, getSchemaPath } from '@nestjs/swagger';
import { LiveStreamStatsView, OfflineStreamStatsView } from './streams.view';

/** `LiveStreamStatsView | OfflineStreamStatsView`, told apart by `live` (the plugin cannot describe a union). */
const streamStats = {
  oneOf: [{ $ref: getSchemaPath(LiveStreamStatsView) }, { $ref: getSchemaPath(OfflineStreamStatsView) }],
};

/** One drone's stream: its `drone_id`, and live or offline. */
export function ApiStreamStats(): MethodDecorator {
  return applyDecorators(
    ApiExtraModels(LiveStreamStatsView, OfflineStreamStatsView),
    ApiOkResponse({ schema: { allOf: [{ type: 'object', required: ['drone_id'], properties: { drone_id: { type: 'string' } } }, streamStats] } }),
  );
}

/** A page (`{ items, total, limit, offset }`) of streams, live or offline. */
export function ApiStreamStatsPage(): MethodDecorator {
  return applyDecorators(
    ApiExtraModels(LiveStreamStatsView, OfflineStreamStatsView),
    ApiOkResponse({
      schema: {
        type: 'object',
        required: ['items', 'total', 'limit', 'offset'],
        properties: {
          items: { type: 'array', items: streamStats },
          total: { type: 'integer', minimum: 0 },
          limit: { type: 'integer', minimum: 1 },
          offset: { type: 'integer', minimum: 0 },
        },
      },
    }),
  );
}
