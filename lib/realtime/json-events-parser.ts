import { Decoder, Encoder, PacketType, type Packet } from "socket.io-parser";

/**
 * Socket.IO's parser, with an encoder that skips the binary scan for the events named: those whose
 * payloads are JSON by contract (the relayed `market.kpis` updates, zod-checked). The default encoder
 * walks every property of every emitted payload looking for a Buffer (`hasBinary`): 15% of the web
 * process's busy time with 1,000 viewers. Their packets are written as the default encoder writes a
 * packet without binary (protocol 5: the type, then the JSON of the event name and its arguments), so
 * clients keep the default parser; every other packet (acks, other namespaces, other events, any
 * binary) goes through the default encoder unchanged.
 */
export function createJsonEventsParser(events: readonly string[]): {
  Encoder: new () => Encoder;
  Decoder: typeof Decoder;
} {
  const jsonOnly: ReadonlySet<unknown> = new Set(events);
  class JsonEventsEncoder extends Encoder {
    override encode(packet: Packet): unknown[] {
      const data: unknown = packet.data;
      if (
        packet.type === PacketType.EVENT &&
        (packet.nsp === undefined || packet.nsp === "/") &&
        packet.id === undefined &&
        Array.isArray(data) &&
        jsonOnly.has(data[0])
      ) {
        return [`${PacketType.EVENT}${JSON.stringify(data)}`];
      }
      return super.encode(packet);
    }
  }
  return { Encoder: JsonEventsEncoder, Decoder };
}
