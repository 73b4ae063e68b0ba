import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, ValidateBy, ValidationOptions } from 'class-validator';

export interface BytesOptions {
  /** Longest accepted field; unset leaves the size to the handler (which may answer with a reason of its own). */
  maxBytes?: number;
}

/**
 * A base64 string from a caller that speaks plain JSON (a stock Nest client, or one of ours from
 * before bytes travelled as bytes) becomes the Buffer it encodes; a Buffer stays itself (the
 * original, not the copy class-transformer makes of it). Text far past the limit is left as it
 * is, to be refused without decoding it.
 */
function toBytes(value: unknown, maxBytes: number | undefined): unknown {
  if (typeof value !== 'string') return value;
  if (maxBytes !== undefined && value.length > Math.ceil(maxBytes / 3) * 4 + 4) return value;
  return Buffer.from(value, 'base64');
}

function isBytesWithin(value: unknown, maxBytes: number | undefined): boolean {
  return Buffer.isBuffer(value) && value.length > 0 && (maxBytes === undefined || value.length <= maxBytes);
}

function describe(options: BytesOptions): string {
  return `bytes (a Buffer, or base64 text)${options.maxBytes !== undefined ? ` of 1 to ${options.maxBytes} bytes` : ', not empty'}`;
}

/**
 * A params field holding a file's bytes (an image): it travels over RabbitMQ as a binary
 * attachment of the message (see the messaging library's wire format), and the handler always
 * gets a Buffer.
 */
export function IsBytes(options: BytesOptions = {}, validation?: ValidationOptions): PropertyDecorator {
  const transform = Transform(({ key, obj }) => toBytes((obj as Record<string, unknown>)[key], options.maxBytes));
  const validate = ValidateBy(
    { name: 'isBytes', validator: { validate: (value) => isBytesWithin(value, options.maxBytes), defaultMessage: (args) => `${args?.property} must be ${describe(options)}` } },
    validation,
  );
  return (target, key) => {
    transform(target, key);
    validate(target, key);
  };
}

/** A params field holding several files' bytes, `minItems` to `maxItems` of them, each as {@link IsBytes}. */
export function IsBytesArray(options: BytesOptions & { minItems: number; maxItems: number }): PropertyDecorator {
  const transform = Transform(({ key, obj }) => {
    const items = (obj as Record<string, unknown>)[key];
    return Array.isArray(items) ? items.map((item: unknown) => toBytes(item, options.maxBytes)) : items;
  });
  const each = ValidateBy(
    { name: 'isBytes', validator: { validate: (value) => isBytesWithin(value, options.maxBytes), defaultMessage: (args) => `each value in ${args?.property} must be ${describe(options)}` } },
    { each: true },
  );
  return (target, key) => [transform, IsArray(), ArrayMinSize(options.minItems), ArrayMaxSize(options.maxItems), each].forEach((decorate) => decorate(target, key));
}
