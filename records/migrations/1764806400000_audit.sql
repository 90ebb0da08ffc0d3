-- Up Migration

-- What left Sinergi and who took it, kept where an API on any host writes and reads it and where
-- it outlives Temporal's retention and DATA_DIR (before: DATA_DIR/audit/personal-data.ndjson,
-- imported once at API start by api/audit/legacy-audit-import.ts). Both tables are written before
-- the data goes out: an access that cannot be recorded does not happen. What names no household
-- is in clear, to be counted and searched; what a person typed is sealed (RecordCipher, the
-- payload key ring), as the reasons of `operations` are.

-- Each time personal data was given out in full: a report with NIK and contacts, or Temporal
-- payloads decrypted through the codec endpoint.
CREATE TABLE personal_data_accesses (
  id               bigserial PRIMARY KEY,
  at               timestamptz,
  principal        text,
  role             text,
  action           text CHECK (action IN ('report-exported', 'payloads-decoded')),
  -- report-exported: which rollout's report.
  rollout_id       text,
  -- payloads-decoded: from where and how many, never what they held.
  namespace        text,
  workflow_id      text,
  payloads         integer,
  -- Why, as the person typed it (an export's reason): sealed, as it may name someone.
  reason           text,
  -- A line of the old audit file: its SHA-256, so that importing the file again adds nothing.
  legacy_line_hash text UNIQUE,
  -- A line of the old file that would not open when imported (cut short by a crash, sealed under
  -- a key the ring had lost): kept as it was, sealed, and counted as unreadable. Nothing of it can
  -- be read into the other columns, so they are empty for it and for it alone. `sinergi data
  -- reseal` leaves it be (records/sealed-columns.ts): what would not open then opens no better now.
  unread_line      text,
  CONSTRAINT personal_data_accesses_whole CHECK (
    CASE WHEN unread_line IS NULL
      THEN at IS NOT NULL AND principal IS NOT NULL AND role IS NOT NULL AND action IS NOT NULL
        AND (action <> 'report-exported' OR (rollout_id IS NOT NULL AND reason IS NOT NULL))
        AND (action <> 'payloads-decoded' OR (namespace IS NOT NULL AND payloads IS NOT NULL))
      ELSE legacy_line_hash IS NOT NULL AND at IS NULL AND action IS NULL
    END
  )
);
-- Read newest first, a page at a time.
CREATE INDEX personal_data_accesses_at ON personal_data_accesses (at DESC, id DESC);

-- Append-only, enforced here and not only by the code that writes it: an audit that can be
-- rewritten is no audit. One change is allowed, the sealed columns' ciphertext replaced by
-- `sinergi data reseal` (the same text under the current key); every other column stays as
-- written, and no row is deleted or truncated. (The owner of the table can drop the trigger: this
-- stops mistakes and the application's own statements, not an administrator.)
CREATE FUNCTION personal_data_accesses_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'UPDATE' THEN
    RAISE EXCEPTION 'personal_data_accesses is append-only: % refused', TG_OP USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF to_jsonb(NEW) - 'reason' - 'unread_line' IS DISTINCT FROM to_jsonb(OLD) - 'reason' - 'unread_line'
    OR (NEW.reason IS NULL) <> (OLD.reason IS NULL) OR (NEW.unread_line IS NULL) <> (OLD.unread_line IS NULL) THEN
    RAISE EXCEPTION 'personal_data_accesses is append-only: only a sealed column may be resealed' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER personal_data_accesses_append_only BEFORE UPDATE OR DELETE ON personal_data_accesses
  FOR EACH ROW EXECUTE FUNCTION personal_data_accesses_append_only();
CREATE TRIGGER personal_data_accesses_no_truncate BEFORE TRUNCATE ON personal_data_accesses
  FOR EACH STATEMENT EXECUTE FUNCTION personal_data_accesses_append_only();

-- Every export of a rollout's report, masked or in full: who took which list of households out,
-- when, and whether it all went. Recorded as started before the first line is sent, then
-- finished (with the lines written) or failed; one left started is an export whose process
-- stopped under it. Nothing here names a household.
CREATE TABLE exports (
  id            bigserial PRIMARY KEY,
  rollout_id    text NOT NULL,
  principal     text NOT NULL,
  role          text NOT NULL,
  -- The principal's regions at the time (the report holds their households alone); NULL: national.
  regions       text[],
  at            timestamptz NOT NULL,
  -- NIK in full, phone and e-mail (its access is also in personal_data_accesses, with the reason).
  personal_data boolean NOT NULL,
  format        text NOT NULL,
  status        text NOT NULL DEFAULT 'started' CHECK (status IN ('started', 'finished', 'failed')),
  -- Households written: known when finished (a failed export may have sent some before it failed).
  rows_written  integer,
  ended_at      timestamptz,
  CONSTRAINT exports_ended CHECK ((status = 'started') = (ended_at IS NULL) AND (status <> 'finished' OR rows_written IS NOT NULL))
);
CREATE INDEX exports_at ON exports (at DESC, id DESC);
CREATE INDEX exports_rollout ON exports (rollout_id, at DESC, id DESC);

-- Append-only as the accesses are, but for the one way an export ends: a started row becomes
-- finished or failed once, and nothing else of it changes.
CREATE FUNCTION exports_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'UPDATE' THEN
    RAISE EXCEPTION 'exports is append-only: % refused', TG_OP USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF OLD.status <> 'started'
    OR to_jsonb(NEW) - 'status' - 'rows_written' - 'ended_at' IS DISTINCT FROM to_jsonb(OLD) - 'status' - 'rows_written' - 'ended_at' THEN
    RAISE EXCEPTION 'exports is append-only: only a started export may be marked finished or failed' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER exports_append_only BEFORE UPDATE OR DELETE ON exports
  FOR EACH ROW EXECUTE FUNCTION exports_append_only();
CREATE TRIGGER exports_no_truncate BEFORE TRUNCATE ON exports
  FOR EACH STATEMENT EXECUTE FUNCTION exports_append_only();

-- Down Migration
DROP TABLE exports;
DROP FUNCTION exports_append_only();
DROP TABLE personal_data_accesses;
DROP FUNCTION personal_data_accesses_append_only();
