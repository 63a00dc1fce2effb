/**
 * `1234567` → `1,234,567`, rounded to a whole number: what `toLocaleString('en-US')` writes for
 * a whole number, without building an ICU number format, which costs ~10 ms the first time in a
 * process (every run writes counts into its report).
 */
export function groupThousands(value: number): string {
  const whole = Math.round(value);
  if (!Number.isFinite(whole)) return String(whole);
  const digits = String(Math.abs(whole));
  const grouped = digits.replace(/\B(?=(\d{3})+$)/g, ',');
  return whole < 0 ? `-${grouped}` : grouped;
}
