import { loadConfig } from '../../src/config';
import { csv, csvCell } from '../../src/dashboard/csv';
import { escapeHtml, html, raw } from '../../src/dashboard/html';
import { exportPeriod } from '../../src/dashboard/filters';
import { hashToken, looksLikeToken, newToken } from '../../src/dashboard/links';

describe('CSV cells', () => {
  test('quotes, commas and line breaks are quoted; formulas get an apostrophe', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a, b')).toBe('"a, b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('one\ntwo')).toBe('"one\ntwo"');
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-1')).toBe("'-1");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tx')).toBe("'\tx");
    expect(csvCell('=HYPERLINK("x", "y")')).toBe('"\'=HYPERLINK(""x"", ""y"")"');
    expect(csvCell(null)).toBe('');
    expect(
      csv([
        ['a', 'b'],
        ['1,2', null],
      ]),
    ).toBe('a,b\r\n"1,2",\r\n');
  });
});

describe('HTML', () => {
  test('values are escaped unless they are markup made here', () => {
    const title = '<img src=x onerror=alert(1)> & "q" \'s\'';
    expect(escapeHtml(title)).toBe('&lt;img src=x onerror=alert(1)&gt; &amp; &quot;q&quot; &#39;s&#39;');
    expect(html`<p title="${title}">${title}</p>`.text).toBe(`<p title="${escapeHtml(title)}">${escapeHtml(title)}</p>`);
    expect(html`<ul>${['<a>', html`<li>${'<b>'}</li>`, raw('<hr>'), null, undefined, false, 3]}</ul>`.text).toBe(
      '<ul>&lt;a&gt;<li>&lt;b&gt;</li><hr>3</ul>',
    );
  });
});

describe('tokens', () => {
  test('32 random bytes, base64url; stored as SHA-256', () => {
    const a = newToken();
    expect(looksLikeToken(a)).toBe(true);
    expect(newToken()).not.toBe(a);
    expect(hashToken(a)).not.toContain(a);
    expect(hashToken(a)).toBe(hashToken(a));
    expect(looksLikeToken('short')).toBe(false);
    expect(looksLikeToken(`${a}=`)).toBe(false);
  });
});

describe('PUBLIC_URL', () => {
  test('an http(s) address without query; a trailing slash is dropped', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://steady.example.com/' }).env.PUBLIC_URL).toBe('https://steady.example.com');
    expect(loadConfig({ PUBLIC_URL: 'http://localhost:3000' }).env.PUBLIC_URL).toBe('http://localhost:3000');
    expect(loadConfig({}).env.PUBLIC_URL).toBeUndefined();
    for (const bad of ['steady.example.com', 'ftp://steady.example.com', 'https://steady.example.com/?a=1']) {
      expect(() => loadConfig({ PUBLIC_URL: bad })).toThrow(/PUBLIC_URL must be/);
    }
  });
});

describe('export periods', () => {
  test('defaults: to today, from 29 days before; at most 366 days', () => {
    expect(exportPeriod({}, '2026-12-03')).toEqual({ from: '2026-11-04', to: '2026-12-03' });
    expect(exportPeriod({ from: '2026-12-01' }, '2026-12-03')).toEqual({ from: '2026-12-01', to: '2026-12-03' });
    expect(exportPeriod({ to: '2026-01-31' }, '2026-12-03')).toEqual({ from: '2026-01-02', to: '2026-01-31' });
    expect(exportPeriod({ from: '2026-01-01', to: '2027-01-01' }, '2026-12-03')).toEqual({ from: '2026-01-01', to: '2027-01-01' });
    expect(exportPeriod({ from: '2025-01-01', to: '2026-01-02' }, '2026-12-03')).toMatch(/at most 366 days/);
    expect(exportPeriod({ from: '2026-12-05', to: '2026-12-01' }, '2026-12-03')).toMatch(/on or before/);
  });
});
