/**
 * Limits on what the workbench reads whole (issue 12, "limits that hold everywhere"): replies
 * from F&O, the authority and blob storage are cut off at their limit while streaming (a chunked
 * reply has no Content-Length to check first), and its own small files are refused by their size.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileRecipes } from '../../../electron/services/datasets/persistence';
import { readTextWithin } from '../../../electron/services/fs/boundedRead';
import { readReplyText } from '../../../electron/services/net/replyBody';
import { errorOf } from '../../support/rowSources';
import { tempDirs } from '../../support/tempDir';

const temp = tempDirs();

/** A reply streamed in chunks, without Content-Length; `pulled` counts the chunks the reader took. */
function chunkedReply(chunk: string, chunks: number): { response: Response; pulled: () => number } {
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent === chunks) controller.close();
      else {
        sent++;
        controller.enqueue(new TextEncoder().encode(chunk));
      }
    },
  });
  return { response: new Response(body), pulled: () => sent };
}

describe('bounded reads', () => {
  it('reads a reply within its limit, and stops reading one past it (no Content-Length to check)', async () => {
    expect(await readReplyText(chunkedReply('é', 3).response, 'Dequeue', 100)).toBe('ééé');
    const endless = chunkedReply('x'.repeat(64 * 1024), 1_000_000);
    const error = await errorOf(() => readReplyText(endless.response, 'Dequeue', 1024 * 1024));
    expect(error).toMatchObject({ code: 'REMOTE_FAILED' });
    expect(error.message).toBe(
      'Dequeue answered with a body over the 1,048,576 bytes the workbench reads of this reply; it was not read.',
    );
    // Cut off at the limit (plus the stream's read-ahead), not read to the end.
    expect(endless.pulled()).toBeLessThan(40);
  });

  it('refuses a reply by its Content-Length before reading it, and keeps only the start of an error body', async () => {
    const declared = new Response('x'.repeat(2000), { headers: { 'content-length': '2000' } });
    await expect(readReplyText(declared, 'GetExecutionErrors', 1000)).rejects.toMatchObject({
      code: 'REMOTE_FAILED',
      message: expect.stringMatching(/GetExecutionErrors answered with 2,000 bytes over the 1,000 bytes/),
    });
    const errorBody = chunkedReply('{"error":', 10_000);
    expect(await readReplyText(errorBody.response, 'The error reply', 27, { truncate: true })).toBe(
      '{"error":{"error":{"error":',
    );
    expect(errorBody.pulled()).toBeLessThan(100);
  });

  it('refuses a small file of its own that has grown past its size, naming it; a missing one is undefined', async () => {
    const dir = await temp.make();
    const file = join(dir, 'holder.lock');
    await writeFile(file, 'x'.repeat(70_000));
    const error = await errorOf(() => readTextWithin(file, 64 * 1024, 'the lock'));
    expect(error).toMatchObject({ code: 'INVALID_INPUT', details: { file } });
    expect(error.message).toBe(
      `${file}: the lock is 70,000 bytes, more than the 65,536 it may have. The file is damaged or not the workbench's: move it aside.`,
    );
    expect(await readTextWithin(join(dir, 'none'), 10, 'x')).toBeUndefined();
  });

  it('says a damaged saved-recipes file cannot be read (it was an internal error) and does not overwrite it', async () => {
    const dir = await temp.make();
    const file = join(dir, 'recipes.json');
    await writeFile(file, '{"recipes": [ {"id": "a", "na');
    const recipes = fileRecipes(file);
    const error = await errorOf(() => recipes.list());
    expect(error).toMatchObject({ code: 'INVALID_INPUT', details: { file } });
    expect(error.message).toMatch(
      /recipes\.json is not JSON .*: the saved recipes in it cannot be read\. Repair it, or move it aside/,
    );
    await expect(recipes.save({ id: 'b', name: 'B', steps: [] })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(await readFile(file, 'utf8')).toBe('{"recipes": [ {"id": "a", "na');
  });
});
