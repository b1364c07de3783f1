/** Tables of the escalation part of Steady (filled in by its issue). */
export interface EscalationTables {}
