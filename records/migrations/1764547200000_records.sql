-- Up Migration

-- Sinergi's own records: what must outlive Temporal's retention (30 days after a run closes).
-- Written by the workflows through idempotent activities (records/write-run.ts, write-rollout.ts):
-- each row carries the sequence number of the write that made it, and an older write never
-- replaces a newer one. Personal data is never in a column in clear: a household is its
-- pseudonym (HMAC of the KK), and whatever names a person is in `sealed` (RecordCipher, the
-- payload key ring: 'aes1:<key id>:<base64>').

CREATE TABLE rollouts (
  rollout_id      text PRIMARY KEY,
  program_id      text NOT NULL,
  program_version integer NOT NULL,
  cohort_id       text NOT NULL,
  households      integer NOT NULL,
  started_by      text NOT NULL,
  started_at      timestamptz NOT NULL,
  status          text NOT NULL,
  finished_at     timestamptz,
  -- The rollout's input (its pinned plan, pace) and state (counts, controls): no personal data.
  input           jsonb NOT NULL,
  state           jsonb NOT NULL,
  seq             bigint NOT NULL,
  recorded_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE runs (
  run_id             text PRIMARY KEY,
  rollout_id         text NOT NULL,
  program_id         text NOT NULL,
  program_version    integer NOT NULL,
  household_key      text NOT NULL,
  -- A village code 35.09.01.2001; the regency (kabupaten/kota) is its first two parts.
  region             text NOT NULL,
  regency            text GENERATED ALWAYS AS (left(region, 5)) STORED,
  status             text NOT NULL,
  current_step       text,
  current_agency     text,
  current_task_id    text,
  step_deadline      timestamptz,
  stuck              boolean NOT NULL DEFAULT false,
  stuck_since        timestamptz,
  welfare_before     text NOT NULL,
  welfare_after      text NOT NULL,
  -- What the household received (step kinds completed: aid, training, capital...), for the next
  -- programme's overlap checks long after the run is gone from Temporal.
  received           text[] NOT NULL DEFAULT '{}',
  graduation_outcome text,
  graduation_extended boolean NOT NULL DEFAULT false,
  relapsed           boolean NOT NULL DEFAULT false,
  score_band         text,
  criteria_met       text[] NOT NULL DEFAULT '{}',
  started_at         timestamptz NOT NULL,
  finished_at        timestamptz,
  -- The whole run state as the workflow held it (it names the household): sealed.
  sealed             text NOT NULL,
  seq                bigint NOT NULL,
  recorded_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX runs_rollout ON runs (rollout_id, status);
CREATE INDEX runs_household ON runs (household_key);
CREATE INDEX runs_region ON runs (region text_pattern_ops);
-- The stuck list: a few per cent of all runs, read oldest first.
CREATE INDEX runs_stuck ON runs (stuck_since, run_id) WHERE stuck;

CREATE TABLE step_attempts (
  run_id          text NOT NULL REFERENCES runs ON DELETE CASCADE,
  step_key        text NOT NULL,
  attempt         integer NOT NULL,
  kind            text NOT NULL,
  agency          text NOT NULL,
  task_id         text NOT NULL,
  opened_at       timestamptz,
  deadline        timestamptz,
  closed_at       timestamptz,
  outcome         text,
  -- Rupiah, for a step that moves money: what the agency reported paying, else the plan's amount.
  amount          numeric(14, 0),
  agency_reference text,
  closed_by       text,
  superseded_by   text,
  seq             bigint NOT NULL,
  PRIMARY KEY (run_id, step_key, attempt)
);
CREATE INDEX step_attempts_task ON step_attempts (task_id);
CREATE INDEX step_attempts_open ON step_attempts (agency, opened_at) WHERE closed_at IS NULL;

-- Managers' operations on a run, in the order the run applied them: append-only.
CREATE TABLE operations (
  run_id   text NOT NULL REFERENCES runs ON DELETE CASCADE,
  n        integer NOT NULL,
  op       text NOT NULL,
  step_key text,
  actor    text NOT NULL,
  at       timestamptz NOT NULL,
  detail   text,
  -- Free text a manager typed: sealed, as it may name a person.
  reason   text NOT NULL,
  PRIMARY KEY (run_id, n)
);
CREATE INDEX operations_actor ON operations (actor, at);

-- Graduation assessments: the proposal, the decision and who took it.
CREATE TABLE graduation_decisions (
  run_id     text NOT NULL REFERENCES runs ON DELETE CASCADE,
  n          integer NOT NULL,
  step_key   text NOT NULL,
  at         timestamptz NOT NULL,
  score      numeric NOT NULL,
  proposed   text,
  decision   text,
  decided_by text,
  relapsed   boolean NOT NULL DEFAULT false,
  seq        bigint NOT NULL,
  PRIMARY KEY (run_id, n)
);

-- Down Migration
DROP TABLE graduation_decisions;
DROP TABLE operations;
DROP TABLE step_attempts;
DROP TABLE runs;
DROP TABLE rollouts;
