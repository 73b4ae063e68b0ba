import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { EventHandler } from '@fleet/messaging';
import { StreamEventParams, StreamPublished, StreamUnpublished } from '@fleet/contracts';
import { FeedHub } from './feed-hub';

/**
 * Stream events (published by whichever instance owns the ingest) to operators' sockets: every
 * instance hears each event on a queue of its own and delivers it to its own sockets.
 */
@Controller()
export class StreamEventsController {
  constructor(private readonly hub: FeedHub) {}

  @EventHandler(StreamPublished, { everyInstance: true })
  published(@Payload() event: StreamEventParams): void {
    this.push(event);
  }

  @EventHandler(StreamUnpublished, { everyInstance: true })
  unpublished(@Payload() event: StreamEventParams): void {
    this.push(event);
  }

  private push(event: StreamEventParams): void {
    this.hub.deliverHere({
      drone_id: event.droneId,
      droppable: false,
      frames: [{ type: 'stream', drone_id: event.droneId, state: event.state, at: event.at, session_id: event.sessionId }],
    });
  }
}
