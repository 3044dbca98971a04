import { describe, expect, it } from 'vitest';
import { parseDateTime, parseGuid, parseReal, parseTimeOfDay, wholeNumberProblem } from '../../../shared/domain/values';

describe('typed cell values, read lexically (shared by validation and the emulator)', () => {
  it('reads whole numbers by width, with the range of Int32 and Int64', () => {
    expect(wholeNumberProblem(' +42 ', 32)).toBeNull();
    expect(wholeNumberProblem('2147483648', 32)).toBe('range');
    expect(wholeNumberProblem('4.5', 32)).toBe('format');
    expect(wholeNumberProblem('1,000', 64)).toBe('format');
    expect(wholeNumberProblem('9223372036854775807', 64)).toBeNull();
    expect(wholeNumberProblem('-9223372036854775809', 64)).toBe('range');
  });

  it('reads decimals with or without a leading zero, an exponent, or a comma when told', () => {
    expect(parseReal('.5')).toBe(0.5);
    expect(parseReal('1.3357400000000000')).toBe(1.33574);
    expect(parseReal('-2e3')).toBe(-2000);
    expect(parseReal('1,5')).toBeNull();
    expect(parseReal('1,5', ',')).toBe(1.5);
    expect(parseReal('1e999')).toBeNull();
    expect(parseReal('12 345')).toBeNull();
  });

  it("reads ISO dates, F&O's export style and local dates in the file's order", () => {
    expect(parseDateTime('2011-01-31 00:00:00')).toMatchObject({ year: 2011, month: 1, day: 31, problem: null });
    expect(parseDateTime('2024-01-31T13:45:10.1234567+02:00')).toMatchObject({
      hour: 13,
      second: 10,
      offsetMinutes: 120,
    });
    expect(parseDateTime('2024-01-31T13:45:00Z')?.offsetMinutes).toBe(0);
    expect(parseDateTime('2024-01-31')?.offsetMinutes).toBeNull();
    expect(parseDateTime('8/25/2020 1:03 PM')).toMatchObject({ year: 2020, month: 8, day: 25, hour: 13, minute: 3 });
    expect(parseDateTime('12/1/2020 12:00 AM')).toMatchObject({ month: 12, day: 1, hour: 0 });
    expect(parseDateTime('31.01.2024', 'DMY')).toMatchObject({ year: 2024, month: 1, day: 31, problem: null });
    expect(parseDateTime('2024/01/31', 'DMY')).toMatchObject({ year: 2024, month: 1, day: 31 });
    expect(parseDateTime('2023-02-29')?.problem).toBe('calendar');
    expect(parseDateTime('1/1/2020 13:00 PM')?.problem).toBe('calendar');
    expect(parseDateTime('1899-12-31')?.problem).toBe('range');
    expect(parseDateTime('yesterday')).toBeNull();
  });

  it('reads times of day as seconds after midnight, and GUIDs with or without braces', () => {
    expect(parseTimeOfDay('13:45')).toBe(49_500);
    expect(parseTimeOfDay('1:45:01 PM')).toBe(49_501);
    expect(parseTimeOfDay('12:00 AM')).toBe(0);
    expect(parseTimeOfDay('49500')).toBe(49_500);
    expect(parseTimeOfDay('86400')).toBeNull();
    expect(parseTimeOfDay('24:10')).toBeNull();
    expect(parseGuid('{2608f674-1c5a-4c8e-9e5d-0a2b3c4d5e6f}')).toBe('2608F674-1C5A-4C8E-9E5D-0A2B3C4D5E6F');
    expect(parseGuid('2608F674-1C5A')).toBeNull();
  });
});
