/**
 * Exact decimal sums for reconciliation. Credit limits and amounts are numeric(32,6) in F&O; adding
 * a million of them as JavaScript numbers drifts in the last digits and would report differences
 * that do not exist. Values are held as integers of 10^-scale units (BigInt).
 */

const DECIMAL_RE = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,3}))?$/;

/**
 * The value in 10^-scale units, rounded half away from zero as SQL Server rounds numeric; null for
 * a blank cell or text that is not a number. Accepts what exports write (".5", "1.0000000000000000"),
 * JSON numbers and exponents.
 */
export function decimalUnits(value: string | number | null | undefined, scale: number): bigint | null {
  if (value === null || value === undefined) return null;
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : value.trim();
  const m = DECIMAL_RE.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return null;
  const sign = m[1] === '-' ? -1n : 1n;
  // An exponent ("1e+21", how JSON numbers print) moves the decimal point within the digits.
  let whole = m[2] === '' ? '0' : (m[2] ?? '0');
  let fraction = m[3] ?? '';
  const exponent = Number(m[4] ?? 0);
  if (exponent > 0) {
    const moved = fraction.padEnd(exponent, '0');
    whole += moved.slice(0, exponent);
    fraction = moved.slice(exponent);
  } else if (exponent < 0) {
    const padded = whole.padStart(-exponent + 1, '0');
    fraction = padded.slice(padded.length + exponent) + fraction;
    whole = padded.slice(0, padded.length + exponent);
  }
  const kept = fraction.slice(0, scale).padEnd(scale, '0');
  let units = BigInt(whole + kept);
  if ((fraction[scale] ?? '0') >= '5') units += 1n;
  return sign * units;
}

/** Units back to text with `scale` decimals ("1234.500000"). */
export function formatUnits(units: bigint, scale: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale);
  return `${negative ? '-' : ''}${whole}${scale > 0 ? `.${fraction}` : ''}`;
}
