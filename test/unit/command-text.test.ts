import { channelMentionsIn, literally, mentionsIn, parseMention, splitFirstWord } from '../../src/core/command-text';

describe('reading the text after a command', () => {
  test('only the command word is case-insensitive: the rest, and the word as typed, keep their case', () => {
    expect(splitFirstWord('  ADD <@U0ERIN|erin> Night Desk ')).toEqual({ word: 'add', typed: 'ADD', rest: '<@U0ERIN|erin> Night Desk' });
    expect(splitFirstWord('')).toEqual({ word: '', typed: '', rest: '' });
  });

  test('a Slack user id read from the first word after a command word is the id Slack sent', () => {
    const { rest } = splitFirstWord('reassign <@U0CAROL> going on leave');
    const next = splitFirstWord(rest);
    expect(parseMention(next.typed)).toBe('U0CAROL');
    expect(next.rest).toBe('going on leave');
  });
});

describe('text that is never a mention', () => {
  test('a typed look-alike of the mention syntax is kept as it looks but names nobody', () => {
    const typed = literally('ask <@bob> in <#ops> about <3');
    expect(typed).toBe('ask <\u200b@bob> in <\u200b#ops> about <3');
    expect(mentionsIn(typed)).toEqual([]);
    expect(channelMentionsIn(typed)).toEqual([]);
    expect(channelMentionsIn('to <#console:#ops> and <#slack:T1:C1|ops>, again <#console:#ops>')).toEqual(['console:#ops', 'slack:T1:C1']);
  });
});
