import type { Redis } from 'ioredis';

/**
 * Listen on the broker's event channel (docs/design.md, "Broker"). SUBSCRIBE is sent on every (re)connect: one that
 * failed while Redis was down is not repeated by ioredis. `onSubscribed` runs each time it holds again, since
 * messages sent meanwhile are lost. Resolves once the channel is subscribed the first time.
 */
export function listenOnChannel(subscriber: Redis, channel: string, onMessage: (raw: string) => void, onSubscribed: () => void): Promise<void> {
  subscriber.on('message', (from: string, raw: string) => {
    if (from === channel) onMessage(raw);
  });
  return new Promise<void>((resolve) => {
    const subscribe = (): void => {
      subscriber.subscribe(channel).then(
        () => {
          resolve();
          onSubscribed();
        },
        () => undefined,
      );
    };
    subscriber.on('ready', subscribe);
    subscribe();
  });
}
