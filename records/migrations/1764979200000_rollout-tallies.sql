-- Up Migration

-- A rollout's runs counted by everything its progress and graduation show (records/read-progress.ts),
-- per village: kept by a trigger as runs are written, so GET /v1/rollouts/{id} sums a few hundred
-- tallies instead of reading 100,000 runs (the goal is 100 ms at 100,000 households). Per village so
-- that a person limited to regions (a regency, a district, a village) gets counts of theirs alone.
-- No personal data: a village code and counts.
-- Each group's count is split over 8 shards by run (hashtext of its id): runs of one village moving
-- through the same step at once would otherwise all wait on one row's lock until their write commits.
CREATE TABLE rollout_tallies (
  rollout_id          text NOT NULL,
  region              text NOT NULL,
  shard               smallint NOT NULL,
  status              text NOT NULL,
  stuck               boolean NOT NULL,
  current_step        text,
  welfare_before      text NOT NULL,
  welfare_after       text NOT NULL,
  graduation_outcome  text,
  graduation_extended boolean NOT NULL,
  relapsed            boolean NOT NULL,
  score_band          text,
  criteria_met        text[] NOT NULL,
  n                   integer NOT NULL
);
CREATE UNIQUE INDEX rollout_tallies_key ON rollout_tallies (
  rollout_id, region, shard, status, stuck, current_step, welfare_before, welfare_after,
  graduation_outcome, graduation_extended, relapsed, score_band, criteria_met
) NULLS NOT DISTINCT;

CREATE FUNCTION rollout_tally_add(r runs, delta integer) RETURNS void LANGUAGE sql AS $$
  INSERT INTO rollout_tallies AS t (rollout_id, region, shard, status, stuck, current_step, welfare_before, welfare_after,
      graduation_outcome, graduation_extended, relapsed, score_band, criteria_met, n)
    VALUES (r.rollout_id, r.region, hashtext(r.run_id) & 7, r.status, r.stuck, r.current_step, r.welfare_before, r.welfare_after,
      r.graduation_outcome, r.graduation_extended, r.relapsed, r.score_band, r.criteria_met, delta)
  ON CONFLICT (rollout_id, region, shard, status, stuck, current_step, welfare_before, welfare_after,
      graduation_outcome, graduation_extended, relapsed, score_band, criteria_met)
    DO UPDATE SET n = t.n + EXCLUDED.n;
$$;

-- The tally's key of a run, to compare an update's old and new rows.
CREATE FUNCTION rollout_tally_key(r runs) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT row(r.rollout_id, r.region, r.status, r.stuck, r.current_step, r.welfare_before, r.welfare_after,
    r.graduation_outcome, r.graduation_extended, r.relapsed, r.score_band, r.criteria_met)::text;
$$;

CREATE FUNCTION runs_tally() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  old_key text;
  new_key text;
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM rollout_tally_add(NEW, 1);
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM rollout_tally_add(OLD, -1);
  ELSE
    old_key := rollout_tally_key(OLD);
    new_key := rollout_tally_key(NEW);
    -- The two tallies in one fixed order, so that two runs crossing between the same two groups
    -- at once wait for each other instead of deadlocking.
    IF old_key < new_key THEN
      PERFORM rollout_tally_add(OLD, -1);
      PERFORM rollout_tally_add(NEW, 1);
    ELSIF old_key > new_key THEN
      PERFORM rollout_tally_add(NEW, 1);
      PERFORM rollout_tally_add(OLD, -1);
    END IF;
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER runs_tally AFTER INSERT OR UPDATE OR DELETE ON runs FOR EACH ROW EXECUTE FUNCTION runs_tally();

-- Runs recorded before this migration.
INSERT INTO rollout_tallies (rollout_id, region, shard, status, stuck, current_step, welfare_before, welfare_after,
    graduation_outcome, graduation_extended, relapsed, score_band, criteria_met, n)
  SELECT rollout_id, region, hashtext(run_id) & 7, status, stuck, current_step, welfare_before, welfare_after,
    graduation_outcome, graduation_extended, relapsed, score_band, criteria_met, count(*)
  FROM runs GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13;

-- Down Migration
DROP TRIGGER runs_tally ON runs;
DROP FUNCTION runs_tally();
DROP FUNCTION rollout_tally_key(runs);
DROP FUNCTION rollout_tally_add(runs, integer);
DROP TABLE rollout_tallies;
