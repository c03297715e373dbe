import type { YahooSourceMetrics } from "@/lib/events/source-metrics";
import { createYahooCircuit, type YahooCircuitOptions } from "@/lib/ingest/yahoo/circuit";
import {
  classifyYahooError,
  formatYahooError,
  isTransientYahooError,
  YAHOO_ERROR_KINDS,
  type YahooErrorKind,
} from "@/lib/ingest/yahoo/errors";
import { describeError, type Logger } from "@/lib/log";

/**
 * The Yahoo source's view of Yahoo: failed requests counted by kind, and the backoff/circuit every
 * request passes through. `onCircuitChange` gets the message to show on symbols while the circuit is
 * open, and null (with the message it replaces) once Yahoo answers again.
 */
export function createYahooHealth(options: {
  circuit: YahooCircuitOptions;
  clock: () => number;
  logger: Logger;
  onCircuitChange: (message: string | null, previous: string | null) => void;
  /** Told of each failed request's kind (the ingest worker's error counter). */
  onError?: (kind: YahooErrorKind) => void;
}) {
  const circuit = createYahooCircuit(options.circuit);
  const errors = Object.fromEntries(YAHOO_ERROR_KINDS.map((kind) => [kind, 0])) as Record<
    YahooErrorKind,
    number
  >;
  let circuitMessage: string | null = null;

  function recordAnswered(): void {
    if (!circuit.recordSuccess()) return;
    options.logger.info("yahoo answers again; circuit closed");
    const previous = circuitMessage;
    circuitMessage = null;
    options.onCircuitChange(null, previous);
  }

  return {
    tryAcquire: (now: number) => circuit.tryAcquire(now),
    getWaitMs: (now: number) => circuit.getWaitMs(now),
    isCircuitClosed: () => circuit.state === "closed",
    countValidationError: (): void => {
      errors.validation++;
      options.onError?.("validation");
    },
    /** Yahoo answered (even with an error about the symbol or the request). */
    recordAnswered,
    /** Counts a failed request and returns its kind; transient kinds back off and may open the circuit. */
    recordFailure(error: unknown): YahooErrorKind {
      const kind = classifyYahooError(error);
      errors[kind]++;
      options.onError?.(kind);
      if (!isTransientYahooError(kind)) {
        recordAnswered();
        return kind;
      }
      if (circuit.recordFailure(options.clock(), kind)) {
        circuitMessage = `yahoo unavailable: circuit open after ${circuit.consecutiveFailures} failed requests in a row (last: ${formatYahooError(kind, error)}); probing again later`;
        options.logger.warn({ kind, err: describeError(error) }, "yahoo circuit opened");
        options.onCircuitChange(circuitMessage, null);
      }
      return kind;
    },
    snapshot: (): Pick<YahooSourceMetrics, "circuit" | "errors"> => ({
      circuit: circuit.snapshot(),
      errors: { ...errors },
    }),
  };
}
