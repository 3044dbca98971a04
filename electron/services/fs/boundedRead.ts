/**
 * Reading a small file of the workbench's own (a lock, saved recipes, a job's side files) whole,
 * within a size it may have: a file grown past it (damaged, or put there) is refused by its size
 * before any memory is spent on it.
 */
import { open } from 'node:fs/promises';
import { AppError } from '../../../shared/api/errors';

/** The file's text, or undefined when it does not exist; INVALID_INPUT naming the file when it is too big. */
export async function readTextWithin(file: string, maxBytes: number, what: string): Promise<string | undefined> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const over = (bytes: number) =>
      new AppError(
        'INVALID_INPUT',
        `${file}: ${what} is ${bytes.toLocaleString('en-US')} bytes, more than the ${maxBytes.toLocaleString('en-US')} it may have. The file is damaged or not the workbench's: move it aside.`,
        { file },
      );
    const { size } = await handle.stat();
    if (size > maxBytes) throw over(size);
    const bytes = await handle.readFile();
    // It may have grown since the stat.
    if (bytes.length > maxBytes) throw over(bytes.length);
    return bytes.toString('utf8');
  } finally {
    await handle.close();
  }
}
