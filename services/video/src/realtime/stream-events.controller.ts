import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { EventHandler } from '@fleet/messaging';
import { StreamEventParams, StreamPublished, StreamUnpublished } from '@fleet/contracts';
import { FeedHub } from './feed-hub';

/**
 * Stream events from RabbitMQ (emitted by whichever instance owns the ingest) to operators'
 * sockets on every instance.
 */
@Controller()
export class StreamEventsController {
  constructor(private readonly hub: FeedHub) {}

  @EventHandler(StreamPublished)
  published(@Payload() event: StreamEventParams): Promise<void> {
    return this.push(event);
  }

  @EventHandler(StreamUnpublished)
  unpublished(@Payload() event: StreamEventParams): Promise<void> {
    return this.push(event);
  }

  private push(event: StreamEventParams): Promise<void> {
    return this.hub.publish({
      drone_id: event.droneId,
      droppable: false,
      frames: [{ type: 'stream', drone_id: event.droneId, state: event.state, at: event.at, session_id: event.sessionId }],
    });
  }
}
