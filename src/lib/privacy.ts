/** Which of these request URLs leave the app's own origin? (data:, blob: and about: stay local.) */
export function offOriginUrls(urls: Iterable<string>, origin: string): string[] {
  const out: string[] = [];
  for (const u of urls) {
    if (/^(data|blob|about|chrome-extension|devtools):/i.test(u)) continue;
    let o: string;
    try {
      o = new URL(u).origin;
    } catch {
      continue;
    }
    if (o !== origin) out.push(u);
  }
  return out;
}
