/** Tables of the handoff part of Steady (filled in by its issue). */
export interface HandoffTables {}
