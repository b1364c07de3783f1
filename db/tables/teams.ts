/** Tables of the teams part of Steady (filled in by its issue). */
export interface TeamsTables {}
