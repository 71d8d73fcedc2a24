/** The File ▸ Open Recent list: most recent first, unique (case-insensitively on Windows), bounded. */
export const MAX_RECENT = 10;

/** Add `p` at the front. */
export function pushRecent(list: readonly string[], p: string, platform: NodeJS.Platform, max = MAX_RECENT): string[] {
  const key = (s: string) => (platform === 'win32' ? s.toLowerCase() : s);
  return [p, ...list.filter((q) => key(q) !== key(p))].slice(0, max);
}

/** Parse the saved list (untrusted JSON): strings only, bounded. */
export function parseRecent(text: string | null, max = MAX_RECENT): string[] {
  if (text === null) return [];
  try {
    const raw: unknown = JSON.parse(text);
    return Array.isArray(raw) ? raw.filter((s): s is string => typeof s === 'string' && s.length > 0 && s.length <= 4096 && !s.includes('\0')).slice(0, max) : [];
  } catch {
    return [];
  }
}
