// The page's side of the engine worker: requests with ids, answered in order of arrival.
import type { Reply, Request } from "./protocol.js";

type Body = Request extends infer R ? (R extends { id: number } ? Omit<R, "id"> : never) : never;

export class EngineClient {
  private readonly worker: Worker;
  private next = 1;
  private readonly waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();

  /** A worker running `source` (the bundled worker script), from a blob URL so the page stays one file. */
  constructor(source: string, onCrash: (message: string) => void) {
    const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
    this.worker = new Worker(url);
    this.worker.onmessage = (event: MessageEvent<Reply>) => {
      const reply = event.data, pending = this.waiting.get(reply.id);
      if (pending === undefined) return;
      this.waiting.delete(reply.id);
      if (reply.ok) pending.resolve(reply.value);
      else pending.reject(new Error(reply.error));
    };
    this.worker.onerror = (event) => onCrash(event.message || "the engine worker stopped");
  }

  call<T>(body: Body): Promise<T> {
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.worker.postMessage({ ...body, id } as Request);
    });
  }
}
