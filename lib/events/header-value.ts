/**
 * One Kafka header's value as text: a Kafka client gives a Buffer, a string, or an array of either
 * (a name repeated), and the first is the one read. Undefined when absent or of no such type. The one
 * rule for reading a header, for {@link decodeHeaders} and for the readers of single headers
 * (lib/events/produced-at-headers.ts); here, outside lib/kafka, for modules that may not import it.
 */
export function decodeHeaderValue(value: unknown): string | undefined {
  const first: unknown = Array.isArray(value) ? value[0] : value;
  if (typeof first === "string") return first;
  return Buffer.isBuffer(first) ? first.toString() : undefined;
}

/** A Kafka message's headers (as a client gives them) as plain strings; those of no such type are left out. */
export function decodeHeaders(
  headers: Readonly<Record<string, unknown>> | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const text = decodeHeaderValue(value);
    if (text !== undefined) out[name] = text;
  }
  return out;
}
