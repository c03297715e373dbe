export type ThrottledPassOptions = {
  /** Least time between the starts of two passes. */
  intervalMs: number;
  /** Whether there is anything for a pass to do. */
  hasWork: () => boolean;
  /** One pass: takes the work there is now; a rejection goes to `onError`, it is not retried. */
  pass: () => Promise<void>;
  onError: (error: unknown) => void;
};

/**
 * Runs `pass` whenever there is work, one pass at a time and at most once per `intervalMs`: the first
 * `kick` after a quiet spell starts a pass at once, kicks during the interval are served by one
 * trailing pass, so the last piece of work is never left behind.
 */
export function createThrottledPass(options: ThrottledPassOptions) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> | null = null;
  let lastStartedAt = Number.NEGATIVE_INFINITY;

  function start(): void {
    clearTimeout(timer);
    timer = undefined;
    lastStartedAt = Date.now();
    running = options
      .pass()
      .catch((error: unknown) => options.onError(error))
      .finally(() => {
        running = null;
        kick();
      });
  }

  function kick(): void {
    if (timer !== undefined || running !== null || !options.hasWork()) return;
    timer = setTimeout(start, Math.max(0, lastStartedAt + options.intervalMs - Date.now()));
    // A pending pass never keeps a process alive on its own: whoever stops calls flush().
    (timer as { unref?: () => void }).unref?.();
  }

  return {
    /** There is new work: a pass follows within `intervalMs`. */
    kick,
    /** Runs the work there is now without waiting for the interval; resolves when no pass is left. */
    async flush(): Promise<void> {
      for (;;) {
        if (running) await running;
        else if (options.hasWork()) start();
        else break;
      }
    },
  };
}
