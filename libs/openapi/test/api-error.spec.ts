import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Body, Controller, Get, INestApplication, MiddlewareConsumer, Module, NestModule, NotFoundException, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Type } from 'class-transformer';
import { IsInt, IsString, Max, MinLength, ValidateNested } from 'class-validator';
import { RpcErrorCode } from '@fleet/contracts';
import { RequestIdMiddleware } from '@fleet/logging';
import { RpcError } from '@fleet/messaging';
import { ApiErrorBody, ApiExceptionFilter, apiValidationPipe } from '../src/api-error';

class Seat {
  @IsInt() @Max(80)
  number!: number;
}

class Booking {
  @IsString() @MinLength(3)
  name!: string;

  @ValidateNested() @Type(() => Seat)
  seat!: Seat;
}

@Controller()
class ProbeController {
  @Post('bookings')
  book(@Body() booking: Booking): Booking {
    return booking;
  }

  @Get('bookings/:id')
  booking(@Param('id', ParseUUIDPipe) id: string): { id: string } {
    return { id };
  }

  @Get('missing')
  missing(): never {
    throw new NotFoundException('No booking 7');
  }

  @Get('downstream')
  downstream(): never {
    throw new RpcError(RpcErrorCode.Conflict, 'seat taken', { seat: ['is taken'] });
  }

  @Get('bug')
  bug(): never {
    throw new Error('secret internals');
  }
}

@Module({ controllers: [ProbeController] })
class ProbeModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestIdMiddleware).forRoutes('*path');
  }
}

describe('ApiExceptionFilter and apiValidationPipe', () => {
  let app: INestApplication;
  let url: string;

  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { 'x-request-id': `probe-${path.slice(1)}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: response.status, body: (await response.json()) as ApiErrorBody };
  };

  before(async () => {
    app = await NestFactory.create(ProbeModule, { logger: false });
    app.useGlobalPipes(apiValidationPipe());
    app.useGlobalFilters(new ApiExceptionFilter());
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
  });
  after(async () => {
    await app?.close();
  });

  it('puts every field error of a body in details, nested fields by path, unknown fields too', async () => {
    const { status, body } = await call('POST', '/bookings', { name: 'x', seat: { number: 99 }, extra: 1 });
    assert.equal(status, 400);
    assert.deepEqual(Object.keys(body.details ?? {}).sort(), ['extra', 'name', 'seat.number']);
    assert.match(body.details!['seat.number'][0], /must not be greater than 80/);
    assert.deepEqual({ ...body, details: undefined, message: typeof body.message }, { statusCode: 400, error: 'Bad Request', message: 'string', details: undefined, request_id: 'probe-bookings' });
  });

  it('answers HTTP exceptions, RPC errors and bugs in the same shape, bugs without their message', async () => {
    assert.deepEqual(await call('GET', '/missing'), { status: 404, body: { statusCode: 404, error: 'Not Found', message: 'No booking 7', request_id: 'probe-missing' } });
    assert.deepEqual(await call('GET', '/downstream'), {
      status: 409,
      body: { statusCode: 409, error: 'Conflict', message: 'seat taken', details: { seat: ['is taken'] }, request_id: 'probe-downstream' },
    });
    assert.deepEqual(await call('GET', '/bug'), { status: 500, body: { statusCode: 500, error: 'Internal Server Error', message: 'Internal server error', request_id: 'probe-bug' } });
  });

  it('refuses the NUL character anywhere in a body or a path parameter (Postgres cannot store it) with a 400 naming the field', async () => {
    const nested = await call('POST', '/bookings', { name: 'Ada\u0000', seat: { number: 1 } });
    assert.equal(nested.status, 400);
    assert.deepEqual(nested.body.details, { name: ['must not contain the NUL character'] });
    const inPath = await call('GET', '/bookings/%00');
    assert.equal(inPath.status, 400);
    assert.deepEqual(inPath.body.details, { id: ['must not contain the NUL character'] });
  });

  it('answers an unknown route in the same shape', async () => {
    assert.deepEqual(await call('GET', '/nowhere'), { status: 404, body: { statusCode: 404, error: 'Not Found', message: 'Cannot GET /nowhere', request_id: 'probe-nowhere' } });
  });
});
