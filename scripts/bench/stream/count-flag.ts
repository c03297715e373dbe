/**
 * A benchmark flag's count (`--repeat=3`, `--warmup=2`): a whole number of at least `min`, or an error
 * that names the flag and what it takes (`takes`, e.g. "how many times to run each drain (1 or more)").
 */
export function parseCountFlag(flag: string, arg: string, min: number, takes: string): number {
  const count = Number(arg);
  if (!/^\d+$/.test(arg) || count < min) throw new Error(`${flag} takes ${takes}, not "${arg}"`);
  return count;
}
