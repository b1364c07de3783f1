/** What other workflows may ask of rotations: escalation policy levels notify whoever is on shift. */
export interface RotationSummary {
  readonly id: string;
  readonly name: string;
}

export interface OnShiftApi {
  /** Who is on shift in the rotation at that instant, after overrides and swaps; empty when nobody. */
  onShift(workspaceId: string, rotationId: string, at: Date): Promise<string[]>;
  /** The workspace's rotations, for choosing a policy level's target. */
  rotations(workspaceId: string): Promise<RotationSummary[]>;
}
