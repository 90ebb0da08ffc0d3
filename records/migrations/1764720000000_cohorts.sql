-- Up Migration

-- Imported cohorts and what rollouts left out, moved here from files under DATA_DIR so that a
-- worker on any host reads them from the records store (cohort/cohort-store.ts, cohort-files.ts)
-- and the API answers scope checks with counts. As in the runs: no NIK, name, phone, e-mail or
-- KK in a column in clear; a household is its pseudonym (HMAC of the KK) and whatever names a
-- person is in a sealed column (RecordCipher, the payload key ring).

CREATE TABLE cohorts (
  -- A digest of the valid households: the same file imported twice names the same cohort.
  cohort_id   text PRIMARY KEY,
  format      text NOT NULL,
  imported_at timestamptz NOT NULL,
  imported_by text NOT NULL,
  households  integer NOT NULL,
  -- The validation report: its bad rows name households by KK, so it is sealed.
  report      text NOT NULL
);

CREATE TABLE cohort_households (
  cohort_id     text NOT NULL REFERENCES cohorts ON DELETE CASCADE,
  -- Where a rollout resumes: its workflow carries these offsets in its state and activity inputs.
  -- A cohort imported here numbers its rows (n, n + 1); one imported from a file under DATA_DIR
  -- keeps the byte offsets of its lines, which rollouts started before the move hold.
  start_offset  bigint NOT NULL,
  end_offset    bigint NOT NULL,
  household_key text NOT NULL,
  -- A village code 35.09.01.2001 in clear, as runs.region: scope checks count by it.
  region        text NOT NULL,
  regency       text GENERATED ALWAYS AS (left(region, 5)) STORED,
  -- The whole household (KK, head's NIK and name, contacts): sealed.
  sealed        text NOT NULL,
  PRIMARY KEY (cohort_id, start_offset)
);
-- The report joins runs and exclusions to a cohort's households by pseudonym.
CREATE INDEX cohort_households_household ON cohort_households (cohort_id, household_key);
-- A principal's regions: counted per cohort by prefix.
CREATE INDEX cohort_households_region ON cohort_households (cohort_id, region text_pattern_ops);

-- Who a rollout's batches left out (or enrolled and flagged), and why.
CREATE TABLE exclusions (
  rollout_id    text NOT NULL,
  household_key text NOT NULL,
  -- The batch that decided it (its first offset): a retried batch replaces its own rows.
  from_offset   bigint NOT NULL,
  flagged_only  boolean NOT NULL DEFAULT false,
  -- The reason code (decile-above-maximum, already-enrolled...) names no one; its detail and the
  -- household's KK are in `sealed`.
  reason        text NOT NULL,
  sealed        text NOT NULL,
  PRIMARY KEY (rollout_id, household_key)
);
CREATE INDEX exclusions_batch ON exclusions (rollout_id, from_offset);

-- Down Migration
DROP TABLE exclusions;
DROP TABLE cohort_households;
DROP TABLE cohorts;
