/**
 * "Repeat titles": two titles are similar when their normalised words overlap enough. Normalising
 * works for every script: compatibility forms are folded (NFKC: full-width "ＤＢ" is "db"), case is
 * folded (including Greek's final sigma and German's ß), accents are dropped from Latin, Greek and
 * Cyrillic letters ("café" is "cafe", "ά" is "α"; marks that are part of a letter elsewhere, such as
 * Devanagari's vowel signs, are kept), anything that is not a letter, a mark or a digit separates
 * words, and text in a script written without spaces (Chinese, Japanese, Thai…) is split into words
 * by the runtime's dictionary (Intl.Segmenter). Then common English filler words ("the", "again",
 * "is"…) and a plural "s" are dropped; similarity is the Dice coefficient of the two word sets,
 * 2·|A∩B| / (|A|+|B|), and titles at 0.6 or more are similar. So "Printer down" and "Printer on
 * floor 3 down again" are similar (4/6), "Printer down" and "Database down" are not (2/4).
 */
export const SIMILARITY_THRESHOLD = 0.6;

const FILLER = new Set(
  'a an the is are was were be been of in on at to for from by with and or but not no again still this that it its our we my me i up as into has have had new'.split(
    ' ',
  ),
);

/** Accents on these scripts' letters are dropped; elsewhere a combining mark can be the letter's vowel. */
const ACCENT = /(?<=[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}])\p{Mn}+/gu;
const SEPARATORS = /[^\p{L}\p{M}\p{N}]+/gu;
/** Scripts written without spaces between words: only these need a dictionary to find the words. */
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;
const words = new Intl.Segmenter(undefined, { granularity: 'word' });
/** Plain ASCII needs none of the folding of other text (and gives the same words): half the time for most titles. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the whole ASCII range, control characters included
const ASCII = /^[\x00-\x7f]*$/;

export function titleTokens(title: string): Set<string> {
  const tokens = (
    ASCII.test(title)
      ? title
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, ' ')
          .split(' ')
      : foldedWords(title)
  )
    .filter((w) => w && !FILLER.has(w))
    .map((w) => (w.length > 3 && w.endsWith('s') && !w.endsWith('ss') ? w.slice(0, -1) : w));
  return new Set(tokens);
}

function foldedWords(title: string): string[] {
  return title
    .normalize('NFKD')
    .replace(ACCENT, '')
    .normalize('NFKC')
    .toLowerCase()
    .replace(/ς/g, 'σ')
    .replace(/ß/g, 'ss')
    .replace(SEPARATORS, ' ')
    .split(' ')
    .flatMap(splitUnspaced);
}

function splitUnspaced(chunk: string): string[] {
  if (!UNSPACED.test(chunk)) return [chunk];
  return [...words.segment(chunk)].filter((s) => s.isWordLike).map((s) => s.segment);
}

export function similarity(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let common = 0;
  for (const w of a) if (b.has(w)) common++;
  return (2 * common) / (a.size + b.size);
}

export function similarTitles(a: string, b: string): boolean {
  return similarity(titleTokens(a), titleTokens(b)) >= SIMILARITY_THRESHOLD;
}

export interface Titled {
  readonly number: number;
  readonly title: string;
  readonly createdAt: Date;
}

/**
 * Groups of escalations whose titles repeat: each escalation raised in [since, now] that is similar
 * to one raised within `withinMs` before it joins that one's group. Candidates are found through
 * shared words, so the work grows with the number of escalations sharing words, not its square.
 */
export function repeatGroups<T extends Titled>(items: readonly T[], since: Date, withinMs: number): T[][] {
  const sorted = [...items].sort((x, y) => x.createdAt.getTime() - y.createdAt.getTime() || x.number - y.number);
  const tokens = sorted.map((item) => titleTokens(item.title));
  const byWord = new Map<string, number[]>();
  const groupOf = new Map<number, number>();
  const groups: number[][] = [];
  sorted.forEach((item, i) => {
    if (item.createdAt >= since) {
      // Shared words per earlier escalation within the window: Dice is 2·shared / (|A| + |B|).
      const shared = new Map<number, number>();
      for (const w of tokens[i]!) {
        const earlier = byWord.get(w) ?? [];
        for (let k = earlier.length - 1; k >= 0; k--) {
          const j = earlier[k]!;
          if (item.createdAt.getTime() - sorted[j]!.createdAt.getTime() > withinMs) break;
          shared.set(j, (shared.get(j) ?? 0) + 1);
        }
      }
      let match: number | undefined;
      const size = tokens[i]!.size;
      for (const [j, count] of shared) {
        if ((2 * count) / (size + tokens[j]!.size) >= SIMILARITY_THRESHOLD && (match === undefined || j > match)) match = j;
      }
      if (match !== undefined) {
        let g = groupOf.get(match);
        if (g === undefined) {
          g = groups.length;
          groups.push([match]);
          groupOf.set(match, g);
        }
        groups[g]!.push(i);
        groupOf.set(i, g);
      }
    }
    for (const w of tokens[i]!) {
      const list = byWord.get(w);
      if (list) list.push(i);
      else byWord.set(w, [i]);
    }
  });
  return groups.map((g) => g.map((i) => sorted[i]!));
}
