/** Tables of the standup part of Steady (filled in by its issue). */
export interface StandupTables {}
