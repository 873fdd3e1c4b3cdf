-- 002-typed-views.sql: typed views for ad-hoc SQL, and indexes on valid_to.
--
-- The tables keep records as jsonb; these views give the fields reports
-- and consistency checks join on as typed columns.  A field that does not
-- hold a value of its type (pg-load warns about those and keeps them as
-- sent) reads as NULL rather than failing the query.

CREATE FUNCTION moc.ts(v text) RETURNS timestamptz
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
	IF v IS NULL OR v !~ '^\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d' THEN
		RETURN NULL;
	END IF;
	RETURN v::timestamptz;
EXCEPTION WHEN others THEN
	RETURN NULL;
END $$;

CREATE FUNCTION moc.num(v jsonb) RETURNS numeric
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT CASE WHEN jsonb_typeof(v) = 'number' THEN (v #>> '{}')::numeric END
$$;

CREATE VIEW moc.instance_v AS
SELECT region, id, valid_from, valid_to,
	rec->>'name' AS name, rec->>'project_id' AS project_id,
	rec->>'user_id' AS user_id, rec->>'status' AS status,
	rec->>'vm_state' AS vm_state, rec->>'flavor_id' AS flavor_id,
	moc.num(rec->'vcpus') AS vcpus, moc.num(rec->'ram_mb') AS ram_mb,
	moc.num(rec->'gpu_count') AS gpu_count,
	moc.ts(rec->>'created_at') AS created_at,
	moc.ts(rec->>'launched_at') AS launched_at,
	moc.ts(rec->>'terminated_at') AS terminated_at,
	moc.ts(rec->>'deleted_at') AS deleted_at
FROM moc.instance;

CREATE VIEW moc.project_v AS
SELECT region, id, valid_from, valid_to,
	rec->>'name' AS name, rec->>'domain_id' AS domain_id,
	rec->>'parent_id' AS parent_id
FROM moc.project;

CREATE VIEW moc.project_institution_v AS
SELECT region, id, valid_from, valid_to,
	rec->>'project_id' AS project_id,
	rec->>'institution_id' AS institution_id,
	CASE WHEN rec->>'share' ~ '^\d+(\.\d+)?$'
	    THEN (rec->>'share')::numeric END AS share
FROM moc.project_institution;

CREATE VIEW moc.user_institution_v AS
SELECT region, id, valid_from, valid_to,
	rec->>'user_id' AS user_id, rec->>'institution_id' AS institution_id
FROM moc.user_institution;

-- Pruning (pg-load --retain) and period dumps look versions up by their end.
CREATE INDEX instance_valid_to ON moc.instance (valid_to);
CREATE INDEX volume_valid_to ON moc.volume (valid_to);
CREATE INDEX port_valid_to ON moc.port (valid_to);
