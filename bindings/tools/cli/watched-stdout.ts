// stdout as the commands see it. A reader that goes away (EPIPE: `| head`) stops the run quietly;
// any other write failure (a full disk, /dev/full) is an error at `stdout`, not a silent success.
import { MarginError } from "../../core/errors.js";
import { describeErrno, type Sink } from "./command.js";

/** The reader closed stdout: stop working, quietly. */
export class OutputClosed extends Error {}

export interface WatchedStdout {
  sink: Sink;
  closed(): boolean;
  /** Resolves once everything written so far has reached the output; throws if any of it failed. */
  settle(): Promise<void>;
}

function readerGone(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === "EPIPE" || code === "ERR_STREAM_DESTROYED";
}

export function watchedStdout(stdout: Sink): WatchedStdout {
  let closed = false;
  let failure: MarginError | undefined;
  // the first failure is the one to report: after it the stream is destroyed, and later writes fail as ERR_STREAM_DESTROYED
  const record = (error: unknown) => {
    if (failure !== undefined || closed) return;
    if (readerGone(error)) closed = true;
    else failure = new MarginError("MALFORMED", "stdout", `cannot write the output: ${describeErrno(error)}`);
  };
  const stopped = (): Error | undefined => failure ?? (closed ? new OutputClosed() : undefined);
  const stream = stdout as Partial<NodeJS.WritableStream> & { writableLength?: number };
  if (typeof stream.on === "function") stream.on("error", record);
  return {
    closed: () => closed,
    async settle() {
      // an empty write's callback runs after every earlier write is done (a sink that is no stream writes at once)
      if (typeof stream.writableLength === "number") {
        await new Promise<void>((resolve) => {
          stream.write!("", (error?: Error | null) => {
            if (error) record(error);
            resolve();
          });
        });
      }
      const error = stopped();
      if (error) throw error;
    },
    sink: {
      write(chunk: string) {
        const before = stopped();
        if (before) throw before;
        try {
          return stdout.write(chunk);
        } catch (error) {
          record(error);
          throw stopped();
        }
      },
      /** Resolves once the stream drains, closes or fails (a sink that is no stream never fills). */
      drained() {
        if (typeof stream.once !== "function" || typeof stream.off !== "function") return Promise.resolve();
        return new Promise<void>((resolve) => {
          const done = () => {
            for (const event of ["drain", "close", "error"]) stream.off!(event, done);
            resolve();
          };
          for (const event of ["drain", "close", "error"]) stream.once!(event, done);
        });
      },
    },
  };
}
