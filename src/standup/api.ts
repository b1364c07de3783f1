/** What other workflows may ask of stand-ups: handoffs pre-fill the day's blockers. */
export interface ReportedBlocker {
  readonly standupId: string;
  readonly standupName: string;
  readonly userId: string;
  readonly text: string;
  /** The participant's local date of the stand-up, YYYY-MM-DD. */
  readonly date: string;
  readonly reportedAt: Date;
  /** Set when the blocker was escalated. */
  readonly escalationReference?: string;
}

export interface StandupsApi {
  /** Blockers these people reported since `since` whose escalation (if any) is not resolved. */
  unresolvedBlockers(workspaceId: string, userIds: readonly string[], since: Date): Promise<ReportedBlocker[]>;
}
