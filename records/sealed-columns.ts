/**
 * Every column of the records store that holds a sealed record (RecordCipher: 'aes1:<key id>:<base64>',
 * or plain text written before sealing), with the key that orders and names its rows.
 * `sinergi data reseal` walks each in key order (records/reseal-columns.ts); a test checks that
 * no other column holds personal data in clear. A table added with a sealed column is listed here.
 */
export interface SealedColumn {
  table: string;
  /** The primary key's columns, in the order rows are walked. */
  key: readonly string[];
  column: string;
}

export const sealedColumns: readonly SealedColumn[] = [
  // The run's whole state as the workflow held it (it names the household).
  { table: 'runs', key: ['run_id'], column: 'sealed' },
  // A manager's free-text reason, which may name a person.
  { table: 'operations', key: ['run_id', 'n'], column: 'reason' },
  // An import's validation report: its bad rows name households by KK.
  { table: 'cohorts', key: ['cohort_id'], column: 'report' },
  // A cohort's household: KK, the head's NIK and name, phone, e-mail.
  { table: 'cohort_households', key: ['cohort_id', 'start_offset'], column: 'sealed' },
  // Who a rollout left out or flagged, by KK, and why.
  { table: 'exclusions', key: ['rollout_id', 'household_key'], column: 'sealed' },
  // Why someone took personal data out, as they typed it (NULL for a decode, which has none). Not
  // its unread_line: lines of the old audit file that would not open at import open no better now.
  { table: 'personal_data_accesses', key: ['id'], column: 'reason' },
];

/** How a column is named in counts and messages: `table.column`. */
export const sealedColumnName = (c: SealedColumn) => `${c.table}.${c.column}`;
