/**
 * Two witnesses for "nothing fails silently": the store errors that reached the orchestrator's code, and
 * the log lines it wrote (Powertools Logger prints JSON lines on stdout and stderr).
 */
import { StoreError } from '#lib/errors';

/**
 * Wraps a store so that every StoreError its methods raise (promises and async iterables alike) is handed to
 * `onError` before it reaches the caller. Conditional-write failures are not errors and are not reported.
 */
export function reportingStoreErrors<T extends object>(store: T, onError: (error: StoreError) => void): T {
  const report = (error: unknown) => {
    if (error instanceof StoreError) onError(error);
    return error;
  };
  return new Proxy(store, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const result: unknown = Reflect.apply(value, target, args);
        if (result instanceof Promise) {
          return result.catch((error: unknown) => {
            throw report(error);
          });
        }
        if (typeof result === 'object' && result !== null && Symbol.asyncIterator in result) {
          const iterable = result as AsyncIterable<unknown>;
          return (async function* () {
            try {
              yield* iterable;
            } catch (error) {
              throw report(error);
            }
          })();
        }
        return result;
      };
    },
  });
}

/** One structured log line. */
export interface LogLine {
  readonly level: string;
  readonly message: string;
  readonly text: string;
}

export interface LogCapture {
  readonly lines: readonly LogLine[];
  restore(): void;
}

/**
 * Captures the JSON log lines written to stdout and stderr (anything else passes through), until
 * `restore`.
 */
export function captureLogLines(): LogCapture {
  const lines: LogLine[] = [];
  const streams = [process.stdout, process.stderr];
  const originals = streams.map((stream) => stream.write.bind(stream));
  streams.forEach((stream, index) => {
    const original = originals[index] as typeof stream.write;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
      const passed: string[] = [];
      for (const line of text.split('\n')) {
        const parsed = parseLogLine(line);
        if (parsed) lines.push(parsed);
        else if (line !== '') passed.push(line);
      }
      if (passed.length > 0) (original as (text: string) => boolean)(`${passed.join('\n')}\n`);
      const callback = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
      callback?.();
      return true;
    }) as typeof stream.write;
  });
  return {
    lines,
    restore() {
      streams.forEach((stream, index) => {
        stream.write = originals[index] as typeof stream.write;
      });
    },
  };
}

function parseLogLine(line: string): LogLine | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const parsed: unknown = JSON.parse(line);
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const level: unknown = Reflect.get(parsed, 'level');
    const message: unknown = Reflect.get(parsed, 'message');
    if (typeof level !== 'string') return undefined;
    return { level, message: typeof message === 'string' ? message : '', text: line };
  } catch {
    return undefined;
  }
}
