let installed = false;

/** The warning's name, from any of process.emitWarning's call forms. */
function getWarningName(warning: string | Error, typeOrOptions: unknown): string {
  if (warning instanceof Error) return warning.name;
  if (typeof typeOrOptions === "string") return typeOrOptions;
  if (typeof typeOrOptions === "object" && typeOrOptions !== null && "type" in typeOrOptions)
    return String(typeOrOptions.type);
  return "Warning";
}

/**
 * kafkajs' request queue calls setTimeout with a negative delay when idle, which Node 24 reports as a
 * TimeoutNegativeWarning on every connection (Node clamps the delay to 1 ms, so it is harmless). Node's
 * timers report it through `process.emitWarning`, so this wraps that one function to drop that one
 * warning; every other warning and every 'warning' listener (Node's printer, the logger's) stay as
 * they were. `--disable-warning` would do the same, but only as a flag given before the process starts.
 */
export function silenceKafkajsTimeoutWarning(): void {
  if (installed) return;
  installed = true;
  const emitWarning = process.emitWarning.bind(process) as (...args: unknown[]) => void;
  const filtered = (warning: string | Error, ...rest: unknown[]) => {
    if (getWarningName(warning, rest[0]) === "TimeoutNegativeWarning") return;
    emitWarning(warning, ...rest);
  };
  process.emitWarning = filtered;
}
