// The SFU's ping path: our one mediasoup data producer (everyone consumes it, messages are
// addressed by `to`) and a data consumer of each other peer's producer.
import type { types } from 'mediasoup-client';
import type { ClientToServerEvents, DataConsumerOptions, DataProducerInfo } from '../../../signaling/protocol';
import type { PingTracker } from './ping';

type ConsumeData = (payload: Parameters<ClientToServerEvents['sfu:consumeData']>[0]) => Promise<DataConsumerOptions>;

export class SfuPingChannels {
  private producer: types.DataProducer | null = null;
  private consumers = new Map<string, types.DataConsumer>();
  /** Data producers being consumed: one may be both announced and listed while we join. */
  private pending = new Set<string>();

  constructor(
    private readonly pings: PingTracker,
    private readonly consumeData: ConsumeData,
  ) {}

  async produce(transport: types.Transport): Promise<void> {
    // Unordered, no retransmits: a late pong is worse than a lost one for measuring RTT.
    this.producer = await transport.produceData({ ordered: false, maxRetransmits: 0, label: 'ping' });
  }

  send(text: string): boolean {
    if (this.producer?.readyState !== 'open') return false;
    this.producer.send(text);
    return true;
  }

  async consume(transport: types.Transport, info: DataProducerInfo): Promise<void> {
    if (this.pending.has(info.dataProducerId)) return;
    this.pending.add(info.dataProducerId);
    try {
      const options = await this.consumeData({ dataProducerId: info.dataProducerId });
      if (transport.closed) return;
      const consumer = await transport.consumeData({
        id: options.id,
        dataProducerId: options.dataProducerId,
        sctpStreamParameters: options.sctpStreamParameters as types.SctpStreamParameters,
        label: options.label,
        protocol: options.protocol,
      });
      this.consumers.get(info.peerId)?.close();
      this.consumers.set(info.peerId, consumer);
      consumer.on('message', (data: unknown) => {
        const reply = this.pings.receive(data);
        if (reply) this.send(reply);
      });
    } catch (err) {
      this.pending.delete(info.dataProducerId);
      if (!transport.closed) console.warn(`could not consume the ping channel of ${info.peerId}`, err);
    }
  }

  drop(peerId: string): void {
    this.consumers.get(peerId)?.close();
    this.consumers.delete(peerId);
  }

  /** The transports' close already closed the objects; this only forgets them. */
  clear(): void {
    this.producer = null;
    this.consumers.clear();
    this.pending.clear();
  }
}
