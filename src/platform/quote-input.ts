/** The longest part of an input an error message repeats. */
export const QUOTED_INPUT_MAX = 100;

/**
 * How an error message shows a value the client sent: JSON-quoted (so control characters and
 * quotes stay visible and cannot break the message), and at most `max` characters of it, with the
 * full length said, so a 100 KB argument costs the response about 100 characters, not 100 KB.
 */
export function quoteInput(value: unknown, max: number = QUOTED_INPUT_MAX): string {
  const text = typeof value === 'string' ? value : String(value);
  // Whole code points only: cutting a surrogate pair in half would leave invalid UTF-16.
  const points = Array.from(text.length > max * 2 ? text.slice(0, max * 2) : text);
  if (points.length <= max && text.length <= max * 2) return JSON.stringify(text);
  return `${JSON.stringify(points.slice(0, max).join(''))}... (${text.length} characters)`;
}
