import { LoggerService } from '@nestjs/common';
import pino, { DestinationStream, Logger, StreamEntry } from 'pino';
import { createStream } from 'rotating-file-stream';
import { requestContext } from './request-context';

export interface LoggerOptions {
  service: string;
  instanceId: string;
  level: string;
  /** When set, info and error logs are also written to rotating files there. */
  dir?: string;
}

function rotatingFile(dir: string, name: string): DestinationStream {
  return createStream(name, { path: dir, size: '50M', interval: '1d', maxFiles: 14, compress: 'gzip' });
}

/** One pino logger per process; every line carries service, instance and the current request id. */
export function createLogger(options: LoggerOptions, stdout: DestinationStream = pino.destination(1)): Logger {
  const streams: StreamEntry[] = [{ level: options.level as pino.Level, stream: stdout }];
  if (options.dir) {
    streams.push({ level: 'info', stream: rotatingFile(options.dir, `${options.service}-${options.instanceId}.info.log`) });
    streams.push({ level: 'error', stream: rotatingFile(options.dir, `${options.service}-${options.instanceId}.error.log`) });
  }
  return pino(
    {
      level: options.level,
      base: { service: options.service, instance: options.instanceId },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: () => {
        const requestId = requestContext.requestId();
        return requestId ? { requestId } : {};
      },
    },
    pino.multistream(streams),
  );
}

type NestLevel = 'log' | 'error' | 'warn' | 'debug' | 'verbose' | 'fatal';
const PINO_LEVEL: Record<NestLevel, pino.Level> = {
  log: 'info',
  error: 'error',
  warn: 'warn',
  debug: 'debug',
  verbose: 'trace',
  fatal: 'fatal',
};

/** Adapts pino to Nest's LoggerService so framework logs come out as the same JSON lines. */
export class JsonLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...rest: unknown[]) { this.write('log', message, rest); }
  error(message: unknown, ...rest: unknown[]) { this.write('error', message, rest); }
  warn(message: unknown, ...rest: unknown[]) { this.write('warn', message, rest); }
  debug(message: unknown, ...rest: unknown[]) { this.write('debug', message, rest); }
  verbose(message: unknown, ...rest: unknown[]) { this.write('verbose', message, rest); }
  fatal(message: unknown, ...rest: unknown[]) { this.write('fatal', message, rest); }

  private write(level: NestLevel, message: unknown, rest: unknown[]): void {
    // Nest passes the context (class name) last, and for errors a stack before it.
    const context = typeof rest[rest.length - 1] === 'string' ? (rest.pop() as string) : undefined;
    const stack = typeof rest[0] === 'string' && level === 'error' ? (rest.shift() as string) : undefined;
    const fields: Record<string, unknown> = {};
    if (context) fields.context = context;
    if (stack) fields.stack = stack;
    if (message instanceof Error) {
      fields.err = message;
      this.logger[PINO_LEVEL[level]](fields, message.message);
    } else if (typeof message === 'object' && message !== null) {
      this.logger[PINO_LEVEL[level]]({ ...fields, ...(message as object) });
    } else {
      this.logger[PINO_LEVEL[level]](fields, String(message));
    }
  }
}
