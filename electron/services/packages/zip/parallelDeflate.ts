/**
 * Deflate on every core: an entry's bytes are cut into 1 MiB blocks that worker threads compress
 * independently, each primed with the previous block's last 32 KiB (so the ratio matches one
 * stream) and ended with a sync flush (so the blocks concatenate into one valid deflate stream);
 * the last block ends the stream. The technique is pigz's. The CRC-32 is computed on the calling
 * thread with zlib's native crc32 while the blocks are out.
 *
 * Measured (tests/bench/pack.bench.ts): one zlib stream was the critical path of `dmfw pack`
 * (about 2× slower than Info-ZIP on the 1M-row file); with the blocks spread over the cores the
 * pack keeps up with parsing and validation.
 *
 * Memory: blocks travel in shared memory both ways (the worker reads the input and writes the
 * output in place), and each worker collects its garbage every few blocks. Measured on 1 GiB:
 * fresh buffers per block (copied or transferred) grew RSS by 100–150 MB; shared slots by ~10 MB.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { crc32 } from 'node:zlib';

export const BLOCK_BYTES = 1024 * 1024;
const WINDOW_BYTES = 32 * 1024;
/** Deflate can expand incompressible data a little (5 bytes per 16 KiB stored block, plus a few). */
const OUTPUT_BYTES = BLOCK_BYTES + 64 * 1024;

/**
 * The worker: plain JavaScript evaluated as CommonJS, so it needs no TypeScript loader. zlib's
 * sync API leaves a few JS buffers per call; with almost no JS allocation of its own the worker
 * would rarely collect them, so it runs a GC every 16 blocks when V8 lets it.
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const zlib = require('node:zlib');
let collect = () => undefined;
try {
  require('node:v8').setFlagsFromString('--expose-gc');
  collect = require('node:vm').runInNewContext('gc');
} catch {}
let jobs = 0;
const slots = new Map();
parentPort.on('message', ({ id, slot, input, output, dictionaryOffset, dictionaryLength, dataOffset, dataLength, final, level }) => {
  try {
    if (input) slots.set(slot, { input, output });
    else ({ input, output } = slots.get(slot));
    const options = { level, finishFlush: final ? zlib.constants.Z_FINISH : zlib.constants.Z_SYNC_FLUSH };
    if (dictionaryLength > 0) options.dictionary = Buffer.from(input, dictionaryOffset, dictionaryLength);
    const out = zlib.deflateRawSync(Buffer.from(input, dataOffset, dataLength), options);
    if (out.length <= output.byteLength) {
      out.copy(Buffer.from(output));
      parentPort.postMessage({ id, length: out.length });
    } else {
      const own = Buffer.from(out);
      parentPort.postMessage({ id, out: own }, [own.buffer]);
    }
    if (++jobs % 16 === 0) collect();
  } catch (error) {
    parentPort.postMessage({ id, error: String((error && error.message) || error) });
  }
});
`;

/**
 * One block's memory, shared with the workers. `input`: 32 KiB of dictionary, then the block;
 * `output`: the compressed block. A slot is busy from submission until its output is written.
 */
interface Slot {
  /** Workers are sent a slot's memory once and keep it under this id. */
  readonly id: number;
  readonly input: SharedArrayBuffer;
  readonly inputBytes: Buffer;
  readonly output: SharedArrayBuffer;
  readonly outputBytes: Buffer;
  busy: boolean;
}

let nextSlotId = 1;

function newSlot(): Slot {
  const input = new SharedArrayBuffer(WINDOW_BYTES + BLOCK_BYTES);
  const output = new SharedArrayBuffer(OUTPUT_BYTES);
  return {
    id: nextSlotId++,
    input,
    inputBytes: Buffer.from(input),
    output,
    outputBytes: Buffer.from(output),
    busy: false,
  };
}

interface Job {
  readonly resolve: (out: Buffer) => void;
  readonly reject: (error: Error) => void;
  readonly worker: Worker;
  readonly slot: Slot;
}

/** A process-wide pool of deflate workers; idle workers do not keep the process alive. */
class DeflatePool {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, Job>();
  private readonly load = new Map<Worker, number>();
  /** Slot ids each worker already holds the memory of (cloning two SABs per block cost ~1 ms). */
  private readonly known = new Map<Worker, Set<number>>();
  private nextId = 1;

  constructor(private readonly size: number) {}

  /** Deflates a slot in place; resolves with a view of the slot's output (or a fresh buffer). */
  deflate(slot: Slot, dictionaryLength: number, dataLength: number, final: boolean, level: number): Promise<Buffer> {
    const worker = this.pick();
    const id = this.nextId++;
    return new Promise<Buffer>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, worker, slot });
      this.load.set(worker, (this.load.get(worker) ?? 0) + 1);
      worker.ref();
      const known = this.known.get(worker);
      const memory = known?.has(slot.id) ? {} : { input: slot.input, output: slot.output };
      known?.add(slot.id);
      worker.postMessage({
        id,
        slot: slot.id,
        ...memory,
        dictionaryOffset: WINDOW_BYTES - dictionaryLength,
        dictionaryLength,
        dataOffset: WINDOW_BYTES,
        dataLength,
        final,
        level,
      });
    });
  }

  private pick(): Worker {
    if (this.workers.length < this.size && [...this.load.values()].every((n) => n > 0)) return this.spawn();
    let best = this.workers[0] ?? this.spawn();
    for (const w of this.workers) if ((this.load.get(w) ?? 0) < (this.load.get(best) ?? 0)) best = w;
    return best;
  }

  private spawn(): Worker {
    // The workers hold no data between jobs: small heaps keep each thread's memory to a few MB.
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      resourceLimits: { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 32 },
    });
    worker.unref();
    this.workers.push(worker);
    this.load.set(worker, 0);
    this.known.set(worker, new Set());
    worker.on('message', (message: { id: number; length?: number; out?: Uint8Array; error?: string }) => {
      const job = this.pending.get(message.id);
      if (!job) return;
      this.pending.delete(message.id);
      const left = (this.load.get(worker) ?? 1) - 1;
      this.load.set(worker, left);
      if (left === 0) worker.unref();
      if (message.error !== undefined) job.reject(new Error(`Deflate failed: ${message.error}`));
      else if (message.out)
        job.resolve(Buffer.from(message.out.buffer, message.out.byteOffset, message.out.byteLength));
      else job.resolve(job.slot.outputBytes.subarray(0, message.length ?? 0));
    });
    worker.on('error', (error) => this.fail(worker, error));
    worker.on('exit', (code) => this.fail(worker, new Error(`A deflate worker stopped (exit code ${code}).`)));
    return worker;
  }

  private fail(worker: Worker, error: Error): void {
    const index = this.workers.indexOf(worker);
    if (index >= 0) this.workers.splice(index, 1);
    this.load.delete(worker);
    this.known.delete(worker);
    for (const [id, job] of this.pending) {
      if (job.worker !== worker) continue;
      this.pending.delete(id);
      job.reject(error);
    }
  }
}

let shared: DeflatePool | undefined;

function pool(): DeflatePool {
  shared ??= new DeflatePool(Math.max(1, availableParallelism()));
  return shared;
}

export interface DeflatedEntry {
  readonly crc32: number;
  readonly uncompressedSize: number;
  readonly compressedSize: number;
}

/**
 * Compresses one entry: `write` bytes in any chunk sizes, `end` for the totals. Compressed
 * blocks go to `emit` in order; the buffer it gets is only valid until its promise settles (the
 * slot is reused), so `emit` must write or copy it before resolving. At most `maxInFlight` blocks
 * are out at once and `write` waits when that many are: memory stays at a few MiB per entry.
 */
export class BlockDeflater {
  private readonly slots: Slot[];
  private current = 0;
  private filled = 0;
  private windowLength = 0;
  private crc = 0;
  private uncompressed = 0;
  private compressed = 0;
  private readonly inFlight: { slot: Slot; job: Promise<Buffer> }[] = [];
  private failure: Error | undefined;
  private readonly maxInFlight: number;

  constructor(
    private readonly level: number,
    private readonly emit: (compressed: Buffer) => Promise<void>,
  ) {
    this.maxInFlight = Math.max(2, availableParallelism() * 2);
    this.slots = Array.from({ length: this.maxInFlight + 1 }, newSlot);
  }

  /** Consumes `chunk` (copies it into block memory) before resolving. */
  async write(chunk: Uint8Array): Promise<void> {
    if (this.failure) throw this.failure;
    this.crc = crc32(chunk, this.crc);
    this.uncompressed += chunk.length;
    let offset = 0;
    while (offset < chunk.length) {
      const slot = await this.free(this.current);
      const n = Math.min(chunk.length - offset, BLOCK_BYTES - this.filled);
      slot.inputBytes.set(chunk.subarray(offset, offset + n), WINDOW_BYTES + this.filled);
      this.filled += n;
      offset += n;
      if (this.filled === BLOCK_BYTES) await this.submit(false);
    }
  }

  async end(): Promise<DeflatedEntry> {
    if (this.failure) throw this.failure;
    await this.free(this.current);
    await this.submit(true);
    while (this.inFlight.length > 0) await this.flushOne();
    return { crc32: this.crc >>> 0, uncompressedSize: this.uncompressed, compressedSize: this.compressed };
  }

  /** The slot at `index`, once its previous block has been written out. */
  private async free(index: number): Promise<Slot> {
    const slot = this.slots[index];
    if (!slot) throw new Error(`No deflate slot ${index}.`);
    while (slot.busy) await this.flushOne();
    return slot;
  }

  private async submit(final: boolean): Promise<void> {
    const slot = await this.free(this.current);
    slot.busy = true;
    const job = pool().deflate(slot, this.windowLength, this.filled, final, this.level);
    job.catch(() => undefined); // reported by flushOne, in order
    this.inFlight.push({ slot, job });
    // Prime the next block with the end of this one: copy its tail into the next slot's dictionary
    // area (the worker only reads this slot, so reading it here is safe).
    const nextIndex = (this.current + 1) % this.slots.length;
    const next = await this.free(nextIndex);
    const tail = Math.min(this.filled, WINDOW_BYTES);
    if (tail > 0) {
      slot.inputBytes.copy(
        next.inputBytes,
        WINDOW_BYTES - tail,
        WINDOW_BYTES + this.filled - tail,
        WINDOW_BYTES + this.filled,
      );
      this.windowLength = tail;
    }
    this.current = nextIndex;
    this.filled = 0;
    if (this.inFlight.length >= this.maxInFlight) await this.flushOne();
  }

  /** Waits for the oldest block and writes it out, in order. */
  private async flushOne(): Promise<void> {
    const oldest = this.inFlight.shift();
    if (!oldest) return;
    try {
      const out = await oldest.job;
      this.compressed += out.length;
      await this.emit(out);
    } catch (error) {
      this.failure = error instanceof Error ? error : new Error(String(error));
      throw this.failure;
    } finally {
      oldest.slot.busy = false;
    }
  }
}
