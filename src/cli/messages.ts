/**
 * What the command prints on stderr, made safe for a terminal: a column name or a cell value
 * from a file may hold control bytes (an escape sequence could rewrite the screen or hide a
 * line), so every message is printed with such characters escaped and on one line.
 */

/** `text` with control characters (C0, DEL, C1) and bidirectional overrides escaped as \xNN or \u{NNNN}. */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (ch) => {
    const c = ch.codePointAt(0)!;
    return c <= 0xff ? `\\x${c.toString(16).padStart(2, '0')}` : `\\u{${c.toString(16)}}`;
  });
}

/** One line on stderr, escaped. */
export function say(line: string): void {
  process.stderr.write(printable(line) + '\n');
}
