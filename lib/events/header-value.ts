/**
 * One Kafka header's value as text: a Kafka client gives a Buffer, a string, or an array of either
 * (a name repeated), and the first is the one read. Undefined when absent or of no such type. The one
 * rule for reading a header, for lib/kafka's decodeHeaders and for the readers of single headers
 * (lib/events/produced-at-headers.ts) in modules that may not import lib/kafka.
 */
export function decodeHeaderValue(value: unknown): string | undefined {
  const first: unknown = Array.isArray(value) ? value[0] : value;
  if (typeof first === "string") return first;
  return Buffer.isBuffer(first) ? first.toString() : undefined;
}
