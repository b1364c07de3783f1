import { parseMention, splitFirstWord } from '../../src/core/command-text';

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
