import fc from 'fast-check';
import { repeatGroups, similarTitles, titleTokens } from '../../src/escalation/similarity';

const tokens = (title: string) => [...titleTokens(title)];

describe('repeat titles in every script', () => {
  test('English titles match as before: filler words, plurals, punctuation and accents do not count', () => {
    expect(tokens('The Printers are DOWN again, on floor #3!')).toEqual(['printer', 'down', 'floor', '3']);
    expect(similarTitles('Printer down', 'Printer on floor 3 down again')).toBe(true);
    expect(similarTitles('Printer down', 'Database down')).toBe(false);
    expect(similarTitles('Café wifi slow', 'cafe WiFi slow')).toBe(true);
    expect(similarTitles('The', 'the')).toBe(false);
  });

  test('Cyrillic: case folds, punctuation separates, and different titles stay apart', () => {
    expect(tokens('Принтеры СНОВА упали!')).toEqual(['принтеры', 'снова', 'упали']);
    expect(similarTitles('Принтер не работает', 'принтер НЕ работает')).toBe(true);
    expect(similarTitles('Принтер не работает', 'База данных не работает')).toBe(false);
    expect(tokens('Ёлка')).toEqual(['елка']);
  });

  test('Greek: accents and final sigma fold, so capitals match lower case', () => {
    expect(tokens('Ο διακομιστής έπεσε')).toEqual(['ο', 'διακομιστησ', 'επεσε']);
    expect(similarTitles('Ο διακομιστής έπεσε', 'Ο ΔΙΑΚΟΜΙΣΤΗΣ ΕΠΕΣΕ ξανά')).toBe(true);
    expect(similarTitles('Ο διακομιστής έπεσε', 'Η βάση δεδομένων είναι αργή')).toBe(false);
  });

  test('Chinese and Japanese are split into words though written without spaces', () => {
    expect(titleTokens('打印机坏了').size).toBeGreaterThan(1);
    expect(similarTitles('打印机坏了', '打印机坏了')).toBe(true);
    expect(similarTitles('打印机坏了', '打印机又坏了')).toBe(true);
    expect(similarTitles('打印机坏了', '数据库连接超时')).toBe(false);
    expect(similarTitles('プリンターが故障しました', 'プリンターがまた故障')).toBe(true);
    expect(similarTitles('プリンターが故障しました', 'データベースが遅い')).toBe(false);
    // Mixed with Latin: the Latin word is folded as usual.
    expect(similarTitles('API 超时', 'api 超时')).toBe(true);
  });

  test('compatibility forms and case fold (NFKC): full-width letters, ß, accents on Latin letters', () => {
    expect(tokens('ＤＢ ｄｏｗｎ')).toEqual(['db', 'down']);
    expect(similarTitles('Straße gesperrt', 'STRASSE GESPERRT')).toBe(true);
    expect(tokens('Naïve RÉSUMÉ parser')).toEqual(['naive', 'resume', 'parser']);
  });

  test('marks that are part of a letter are kept (Devanagari vowel signs), so different words stay different', () => {
    expect(tokens('किताब नहीं मिली')).toEqual(['किताब', 'नहीं', 'मिली']);
    expect(similarTitles('सर्वर बंद है', 'सर्वर बंद है')).toBe(true);
    expect(titleTokens('कुल').has('कल')).toBe(false);
  });

  test('plain ASCII titles (folded by a shorter path) give the words the full folding gives', () => {
    // A no-break space is not ASCII, so the title takes the full path; it separates words like a space.
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (title) => expect([...titleTokens(`${title}\u00a0`)]).toEqual([...titleTokens(title)])),
    );
  });

  test('repeat groups find repeated non-Latin titles within the window', () => {
    const day = (n: number) => new Date(Date.UTC(2026, 10, 1 + n));
    const items = [
      { number: 1, title: 'Принтер не работает', createdAt: day(0) },
      { number: 2, title: '打印机坏了', createdAt: day(1) },
      { number: 3, title: 'ПРИНТЕР не работает!', createdAt: day(2) },
      { number: 4, title: '打印机又坏了', createdAt: day(3) },
    ];
    expect(repeatGroups(items, day(0), 30 * 86_400_000).map((g) => g.map((i) => i.number))).toEqual([
      [1, 3],
      [2, 4],
    ]);
  });
});
