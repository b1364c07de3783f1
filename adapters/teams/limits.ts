/**
 * What Teams accepts, in one place. Renderers truncate with a marker rather than fail.
 * - Adaptive Card 1.5: the version that has Action.Execute (Universal Actions) in Teams.
 * - A bot message may be about 28 KB in all; the card is kept well under that.
 * - Teams shows at most 6 buttons in a row of actions; longer rows are split.
 */
export const TEAMS_LIMITS = {
  cardVersion: '1.5',
  maxCardChars: 24_000,
  maxTextBlockChars: 4_000,
  maxTextMessageChars: 20_000,
  maxButtonsPerRow: 5,
  maxButtonTitleChars: 60,
  maxChoices: 100,
  maxSummaryChars: 200,
  truncatedMarker: '… (shortened: the message was too long for Teams)',
} as const;
