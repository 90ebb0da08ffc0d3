-- Up Migration

-- An agency's open tasks, soonest deadline first (GET /v1/agencies/{agency}/tasks): read from the
-- records store, paged by (deadline, run id) on this index, so a ministry catching up on 100,000
-- tasks pages without visibility and without a worker. A task without a deadline comes last.
CREATE INDEX runs_agency_open ON runs (current_agency, (coalesce(step_deadline, 'infinity')), run_id)
  WHERE status = 'running' AND current_task_id IS NOT NULL;

-- Down Migration
DROP INDEX runs_agency_open;
