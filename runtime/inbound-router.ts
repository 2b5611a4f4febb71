/**
 * Routes each MQTT message to the handler for its kind (MQTT.js lesson: one handler per message
 * kind). Unknown topics are logged and dropped; handlers never throw into the MQTT client.
 */
import type { Logger } from 'pino';
import { parseInboundTopic, type InboundTopic } from '../protocols/topics.js';

type Handler<K extends InboundTopic['kind']> = (t: Extract<InboundTopic, { kind: K }>, payload: Buffer, topic: string, retain: boolean) => void;

export class InboundRouter {
  private readonly handlers = new Map<string, Handler<never>>();
  private readonly log: Logger;

  constructor(private readonly prefix: string, logger: Logger) {
    this.log = logger.child({ service: 'inbound' });
  }

  on<K extends InboundTopic['kind']>(kind: K, h: Handler<K>): this {
    this.handlers.set(kind, h as unknown as Handler<never>);
    return this;
  }

  dispatch(topic: string, payload: Buffer, retain: boolean): void {
    const t = parseInboundTopic(this.prefix, topic);
    if (!t) {
      this.log.warn({ topic }, 'message on an unknown topic dropped');
      return;
    }
    const h = this.handlers.get(t.kind) as Handler<typeof t.kind> | undefined;
    if (!h) {
      this.log.debug({ topic, kind: t.kind }, 'no handler for message kind yet');
      return;
    }
    try {
      (h as (t: InboundTopic, p: Buffer, topic: string, retain: boolean) => void)(t, payload, topic, retain);
    } catch (e) {
      this.log.error({ topic, err: (e as Error).message, stack: (e as Error).stack }, 'handler failed');
    }
  }
}
