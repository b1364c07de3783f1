/** Tables of the slack part of Steady (filled in by its issue). */
export interface SlackTables {}
