import { bold, channel, code, italic, plainText, spansOf, user } from '../../src/core/rich-text';

describe('mentions inside what people typed', () => {
  test('become person and channel spans, in plain text and in emphasis, so every platform shows them as mentions', () => {
    expect(spansOf('Printer in <#slack:T1:C9> down for <@U42>')).toEqual([
      'Printer in ',
      channel('slack:T1:C9'),
      ' down for ',
      user('U42'),
    ]);
    expect(spansOf(['Decision ', italic('ask <@U42> first'), bold('<@U7>')])).toEqual([
      'Decision ',
      italic('ask '),
      user('U42'),
      italic(' first'),
      user('U7'),
    ]);
    expect(plainText('Call <@bob> now')).toBe('Call @bob now');
  });

  test('text without them, code, and things that only look like them stay as they are', () => {
    const spans = ['a < b', code('<@U42>'), 'mail <bob@example.com>', '<@ U1>'];
    expect(spansOf(spans)).toEqual(spans);
    expect(spansOf('plain')).toEqual(['plain']);
  });
});
