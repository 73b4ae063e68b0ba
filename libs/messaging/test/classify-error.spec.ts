import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BadRequestException, ConflictException, InternalServerErrorException } from '@nestjs/common';
import { RpcException } from '@nestjs/microservices';
import { RpcErrorCode } from '@fleet/contracts';
import { classifyHandlerError, RpcError } from '../src';

describe(classifyHandlerError.name, () => {
  it('answers domain errors and keeps their code, message and data', () => {
    assert.deepEqual(classifyHandlerError(new RpcError(RpcErrorCode.Conflict, 'taken', { id: 1 })), {
      retry: false,
      body: { code: RpcErrorCode.Conflict, message: 'taken', data: { id: 1 } },
    });
    assert.deepEqual(classifyHandlerError(new RpcException({ code: RpcErrorCode.NotFound, message: 'gone' })), {
      retry: false,
      body: { code: RpcErrorCode.NotFound, message: 'gone', data: undefined },
    });
    assert.equal((classifyHandlerError(new RpcException('Forbidden resource')) as { body: { code: number } }).body.code, RpcErrorCode.Forbidden);
  });

  it('answers 4xx HTTP exceptions with the matching code, ValidationPipe messages as data.errors', () => {
    assert.deepEqual(classifyHandlerError(new BadRequestException(['name must be a string'])), {
      retry: false,
      body: { code: RpcErrorCode.InvalidParams, message: 'Bad Request Exception', data: { errors: ['name must be a string'] } },
    });
    assert.deepEqual(classifyHandlerError(new ConflictException('already there')), {
      retry: false,
      body: { code: RpcErrorCode.Conflict, message: 'already there' },
    });
  });

  it('retries crashes and 5xx HTTP exceptions', () => {
    assert.equal(classifyHandlerError(new TypeError('x is undefined')).retry, true);
    assert.equal(classifyHandlerError(new InternalServerErrorException()).retry, true);
    assert.equal(classifyHandlerError({ status: 'error', message: 'Internal server error' }).retry, true);
  });
});
