import { addMonths, daysBetween, isCalendarDate } from '../../domain/dates';

describe('limitation date arithmetic', () => {
  it.each([
    ['2024-12-10', 24, '2026-12-10'],
    ['2026-09-14', 24, '2028-09-14'],
    ['2025-11-30', 3, '2026-02-28'],
    ['2023-01-31', 1, '2023-02-28'],
    ['2024-01-31', 1, '2024-02-29'],
    ['2024-02-29', 12, '2025-02-28'],
    ['2020-02-29', 48, '2024-02-29'],
    ['2024-03-31', 6, '2024-09-30'],
    ['2025-08-31', 6, '2026-02-28'],
    ['2026-12-15', 120, '2036-12-15'],
  ])('%s + %i months = %s', (date, months, expected) => {
    expect(addMonths(date, months)).toBe(expected);
  });

  it('counts whole days, negative once the date has passed', () => {
    expect(daysBetween('2026-11-25', '2026-12-10')).toBe(15);
    expect(daysBetween('2026-11-25', '2026-11-25')).toBe(0);
    expect(daysBetween('2026-11-25', '2025-01-15')).toBe(-679);
    expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2);
    expect(daysBetween('2023-02-28', '2023-03-01')).toBe(1);
  });

  it('ignores the time zone it runs in (days across a DST change are whole)', () => {
    expect(daysBetween('2026-03-01', '2026-04-01')).toBe(31);
    expect(daysBetween('2026-10-01', '2026-11-30')).toBe(60);
  });

  it('knows which dates exist', () => {
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2000-02-29')).toBe(true);
    for (const text of [
      '2023-02-29',
      '1900-02-29',
      '2026-13-01',
      '2026-04-31',
      '2026-00-10',
      '0099-01-01',
      '2026-1-1',
    ]) {
      expect(isCalendarDate(text)).toBe(false);
    }
  });

  it('refuses to compute with a date that does not exist', () => {
    expect(() => addMonths('2023-02-30', 1)).toThrow(RangeError);
  });
});
