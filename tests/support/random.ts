/**
 * mulberry32: a small, fast, seeded pseudo-random generator, so generated test and benchmark data
 * is the same bytes on every run. (The emulator's demo seeds keep their own copy: emulator/ does
 * not import from tests/.)
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
