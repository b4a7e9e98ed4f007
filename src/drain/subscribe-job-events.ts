import type { PubSub, Unsubscribe } from '../events/pubsub.js';
import { decodeEvent } from './drain-event.js';
import { type DrainEventHandlers, drainEventTopic } from './drain-job-store.js';

/** Live events of one job over a PubSub on which the stores publish `sequence|json` messages. */
export function subscribeJobEvents(
  pubsub: PubSub,
  jobId: string,
  handlers: DrainEventHandlers,
): Promise<Unsubscribe> {
  return pubsub.subscribe(drainEventTopic(jobId), {
    message: (message) => handlers.event(decodeEvent(jobId, message)),
    error: (err) => handlers.error(err),
  });
}
