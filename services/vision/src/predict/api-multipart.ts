import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiConsumes } from '@nestjs/swagger';

interface FilePart {
  description: string;
  /** The field may repeat (several files). */
  many?: boolean;
}

export const CONFIDENCE_FIELD = { type: 'number', minimum: 0, maximum: 1, description: 'Minimum detection confidence (default 0.5).' } as const;
export const TOOLKIT_FIELD = { type: 'string', format: 'uuid', description: 'Compare the detections with this toolkit.' } as const;

/**
 * A multipart/form-data request for the OpenAPI document: the required file parts and the optional
 * text fields (the plugin alone would describe only the text fields, as JSON).
 */
export function ApiMultipart(files: Record<string, FilePart>, fields: Record<string, object>): MethodDecorator {
  const binary = { type: 'string', format: 'binary' };
  const fileProperties = Object.fromEntries(
    Object.entries(files).map(([name, part]) => [name, part.many ? { type: 'array', items: binary, description: part.description } : { ...binary, description: part.description }]),
  );
  return applyDecorators(
    ApiConsumes('multipart/form-data'),
    ApiBody({ schema: { type: 'object', required: Object.keys(files), properties: { ...fileProperties, ...fields } } }),
  );
}
