import { applyDecorators, Catch, RpcExceptionFilter, UseFilters } from '@nestjs/common';
import { EventPattern, MessagePattern, RmqContext } from '@nestjs/microservices';
import { Observable, throwError } from 'rxjs';
import { RpcEvent, RpcMethod } from '@fleet/contracts';

/** Key of the pattern `extras` under which a handler's contract reaches the server strategy. */
export const CONTRACT_EXTRA = 'fleetContract';
/** Key of the pattern `extras` that sends an event to every instance rather than to one of them. */
export const EVERY_INSTANCE_EXTRA = 'fleetEveryInstance';

/**
 * Hands a handler's exception to the transport untouched. Nest's default RPC filter would log it
 * and replace it with `{ status: 'error', message: 'Internal server error' }`, after which the
 * server could no longer tell a domain error (reply) from a crash (retry, then dead-letter).
 * Method-level filters run before global ones, so an app's global filters do not interfere.
 */
@Catch()
export class RpcPassThroughFilter implements RpcExceptionFilter<unknown> {
  catch(exception: unknown): Observable<never> {
    return throwError(() => exception);
  }
}

type Handles<P, R> = (params: P, context: RmqContext) => R | Promise<R> | Observable<R>;
type Reacts<P> = (params: P, context: RmqContext) => void | Promise<void> | Observable<unknown>;

/**
 * Marks a controller method as the handler of `method`. The server validates the params against
 * `method.params` before the call (InvalidParams otherwise), and the compiler checks the method's
 * signature against the contract. Return the result or throw: an RpcError (or Nest RpcException,
 * or a 4xx HttpException) is the caller's answer; anything else is retried, then dead-lettered.
 * The server acks after the handler; never ack through `context.getChannelRef()` yourself (a
 * second ack of the same delivery closes the channel).
 */
export function RpcHandler<P extends object, R>(method: RpcMethod<P, R>) {
  const decorate = applyDecorators(MessagePattern(method.name, { [CONTRACT_EXTRA]: method }), UseFilters(new RpcPassThroughFilter()));
  return <F extends Handles<P, R>>(target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<F>): void => {
    decorate(target, key, descriptor);
  };
}

export interface EventHandlerOptions {
  /**
   * Every instance of the service handles each event (on a queue of its own that lives as long
   * as the instance), instead of one instance of the service's shared durable queue. For events
   * that feed what an instance holds itself (its sockets); such an event is not kept for an
   * instance that is down.
   */
  everyInstance?: boolean;
}

/**
 * Marks a controller method as the handler of a one-way `event` (validated the same way). The
 * service's durable event queue is bound to the event's name: published while the service is
 * down, it waits there.
 */
export function EventHandler<P extends object>(event: RpcEvent<P>, options: EventHandlerOptions = {}) {
  const extras = { [CONTRACT_EXTRA]: event, [EVERY_INSTANCE_EXTRA]: options.everyInstance === true };
  const decorate = applyDecorators(EventPattern(event.name, extras) as MethodDecorator, UseFilters(new RpcPassThroughFilter()));
  return <F extends Reacts<P>>(target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<F>): void => {
    decorate(target, key, descriptor);
  };
}
