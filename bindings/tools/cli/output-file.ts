// A file the command line writes (`--report`): checked before any work, then written whole or
// not at all, so a failure late in a run, or an interruption, never leaves a partial file in
// place of an old one, nor a temporary file beside it.
import { closeSync, lstatSync, openSync, readlinkSync, statSync, unlinkSync, writeFileSync, type Stats } from "node:fs";
import { chmod, open, rename } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fail, MarginError } from "../../core/errors.js";
import { describeErrno } from "./command.js";

/** Links followed before giving up, as the kernel does (ELOOP). */
const MAX_LINKS = 40;

/** What `look` finds, or null where there is nothing (ENOENT); any other failure is thrown. */
function existsOrNull<T>(look: () => T): T | null {
  try {
    return look();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

/** What `path` is, or null where that cannot be told: an input's failures are reported when it is read. */
function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

/** Where writing `path` lands: the path, or the end of its chain of symbolic links (which may not exist yet). */
function destinationOf(path: string): string {
  let target = resolve(path);
  for (let links = 0; existsOrNull(() => lstatSync(target))?.isSymbolicLink(); links++) {
    if (links === MAX_LINKS) throw Object.assign(new Error("too many symbolic links"), { code: "ELOOP" });
    target = resolve(dirname(target), readlinkSync(target));
  }
  return target;
}

/** A file the command reads, which its output must not replace: what it is, and its path as given. */
export interface InputPath { kind: string; path: string }

/**
 * Fails unless a file can be written at `path`: checked before any work. The file lands at the end
 * of its links, so that place's directory must exist (else NOT_FOUND) and take a new file, and the
 * place must be no directory, nor a file the command reads (`inputs`, through links and hard links
 * alike), which the output would replace.
 */
export function checkOutputPath(path: string, field: string, inputs: InputPath[] = []): void {
  if (path === "") fail("MALFORMED", field, "expected a file path, got an empty one");
  try {
    const destination = destinationOf(path);
    const directory = dirname(destination);
    const folder = existsOrNull(() => statSync(directory));
    if (folder === null) fail("NOT_FOUND", field, `no directory "${directory}" to write "${path}" in`);
    if (!folder.isDirectory()) fail("MALFORMED", field, `cannot write "${path}": "${directory}" is not a directory`);
    const target = existsOrNull(() => statSync(destination));
    if (target?.isDirectory()) fail("MALFORMED", field, `"${path}" is a directory`);
    // a socket cannot be opened as a file: found only once the run is over, it would waste it
    if (target?.isSocket()) fail("MALFORMED", field, `"${path}" is a socket, not a file, pipe or device to write`);
    if (target?.isFile()) {
      for (const input of inputs) {
        const read = statOrNull(input.path);
        if (read?.dev === target.dev && read.ino === target.ino) {
          fail("MALFORMED", field, `"${path}" is the ${input.kind} "${input.path}": the report would replace it`);
        }
      }
    }
    // a probe, since permission bits do not tell (root, read-only or virtual file systems): a file
    // is written beside its destination and renamed over it, so that is tried. A pipe or a device
    // is written directly, and left alone here.
    if (target === null || target.isFile()) {
      const probe = temporaryBeside(destination);
      try {
        closeSync(openSync(probe, "wx"));
      } catch (error) {
        // the errno is the new file's, not the destination's: say which file could not be made
        fail("MALFORMED", field, `cannot write "${path}": no new file can be made beside it in "${directory}" (${describeErrno(error)})`);
      }
      unlinkSync(probe);
    }
  } catch (error) {
    if (error instanceof MarginError) throw error;
    fail("MALFORMED", field, `cannot write "${path}": ${describeErrno(error)}`);
  }
}

/**
 * Writes `text` at `path` whole or not at all: into a new file beside the destination, flushed,
 * then renamed over it (an old file keeps its permissions). A pipe or device is written directly,
 * having no old content to keep. Any failure is MALFORMED at `field`, with nothing left behind;
 * an interruption (Ctrl-C) before the rename removes the new file and leaves the old one.
 */
export async function writeOutputFile(path: string, field: string, text: string): Promise<void> {
  let temporary: string | undefined;
  try {
    const destination = destinationOf(path);
    const existing = existsOrNull(() => statSync(destination));
    if (existing !== null && !existing.isFile()) {
      writeFileSync(destination, text);
      return;
    }
    const file = temporaryBeside(destination);
    temporary = file;
    await removedIfInterrupted(file, async () => {
      const handle = await open(file, "wx");
      try {
        await handle.writeFile(text);
        await handle.sync();
      } finally {
        await handle.close();
      }
      if (existing !== null) await chmod(file, existing.mode & 0o7777);
      await rename(file, destination);
    });
    temporary = undefined;
  } catch (error) {
    if (temporary !== undefined) removeIfThere(temporary);
    fail("MALFORMED", field, `cannot write "${path}": ${describeErrno(error)}`);
  }
}

/** The signals that end a command line run by default: Ctrl-C, kill, a terminal closed. */
const INTERRUPTIONS: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];

/**
 * Runs `work`, which may leave `file` behind until it finishes, with `file` removed if the process
 * ends first: at an interruption that nothing else listens for (the signal then ends the process,
 * as it would have), or at an exit another listener makes.
 */
async function removedIfInterrupted(file: string, work: () => Promise<void>): Promise<void> {
  const atExit = () => removeIfThere(file);
  const interrupted = (signal: NodeJS.Signals) => {
    if (process.listenerCount(signal) > 1) return; // another listener decides whether the run ends
    stopWatching();
    removeIfThere(file);
    process.kill(process.pid, signal);
  };
  const stopWatching = () => {
    process.off("exit", atExit);
    for (const signal of INTERRUPTIONS) process.off(signal, interrupted);
  };
  process.on("exit", atExit);
  for (const signal of INTERRUPTIONS) process.on(signal, interrupted);
  try {
    await work();
  } finally {
    stopWatching();
  }
}

/** Removes `file` where it still is; a failure leaves it, as nothing better can be done at an exit. */
function removeIfThere(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // already renamed or removed, or not removable
  }
}

/** A file name beside `destination` of its own: short, so that any name the directory takes can be the destination's. */
function temporaryBeside(destination: string): string {
  return join(dirname(destination), `.margin-core.${process.pid}.${Date.now().toString(36)}.tmp`);
}
