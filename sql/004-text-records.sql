-- 004-text-records.sql: records kept as text, and the valid_to indexes
-- for closed versions only.  Both make a bulk load cheaper.
--
-- Records as text.  The json type parsed every record again on its way
-- in: a third of the server's work in a bulk load, spent on records that
-- pg-load has parsed already (it refuses a record that is not valid JSON,
-- and stores the few whose text jsonb would read differently in jsonb's
-- form: see 003).  The column holds the record's text exactly as json
-- did; read a field with rec::json ->> 'name' (or rec::jsonb), or through
-- the typed views below.  pg-extract reads rec::text and rec::jsonb, which
-- work on either type.  Converting rewrites each table once.
--
-- The valid_to indexes.  Pruning (pg-load --retain) looks versions up by
-- an end before a date, and a period dump by an end after its start:
-- neither finds open versions (valid_to NULL) through these indexes, and
-- the open versions have their own partial index (region, id) WHERE
-- valid_to IS NULL.  Leaving them out spares every new version one of its
-- three index entries.

DROP VIEW moc.instance_v, moc.project_v, moc.project_institution_v,
	moc.user_institution_v;

ALTER TABLE moc.region ALTER COLUMN rec TYPE text;
ALTER TABLE moc.domain ALTER COLUMN rec TYPE text;
ALTER TABLE moc.project ALTER COLUMN rec TYPE text;
ALTER TABLE moc.user_account ALTER COLUMN rec TYPE text;
ALTER TABLE moc.role_assignment ALTER COLUMN rec TYPE text;
ALTER TABLE moc.flavor ALTER COLUMN rec TYPE text;
ALTER TABLE moc.instance ALTER COLUMN rec TYPE text;
ALTER TABLE moc.volume ALTER COLUMN rec TYPE text;
ALTER TABLE moc.volume_attachment ALTER COLUMN rec TYPE text;
ALTER TABLE moc.snapshot ALTER COLUMN rec TYPE text;
ALTER TABLE moc.volume_type ALTER COLUMN rec TYPE text;
ALTER TABLE moc.network ALTER COLUMN rec TYPE text;
ALTER TABLE moc.subnet ALTER COLUMN rec TYPE text;
ALTER TABLE moc.router ALTER COLUMN rec TYPE text;
ALTER TABLE moc.floating_ip ALTER COLUMN rec TYPE text;
ALTER TABLE moc.port ALTER COLUMN rec TYPE text;
ALTER TABLE moc.hypervisor ALTER COLUMN rec TYPE text;
ALTER TABLE moc.institution ALTER COLUMN rec TYPE text;
ALTER TABLE moc.user_institution ALTER COLUMN rec TYPE text;
ALTER TABLE moc.project_institution ALTER COLUMN rec TYPE text;
ALTER TABLE moc.email_domain_institution ALTER COLUMN rec TYPE text;
ALTER TABLE moc.project_attr ALTER COLUMN rec TYPE text;
ALTER TABLE moc.instance_action ALTER COLUMN rec TYPE text;
ALTER TABLE moc.event ALTER COLUMN rec TYPE text;
ALTER TABLE moc.tenant_usage ALTER COLUMN rec TYPE text;
ALTER TABLE moc.other_record ALTER COLUMN rec TYPE text;

CREATE VIEW moc.instance_v AS
SELECT region, id, valid_from, valid_to,
	rec::json->>'name' AS name, rec::json->>'project_id' AS project_id,
	rec::json->>'user_id' AS user_id, rec::json->>'status' AS status,
	rec::json->>'vm_state' AS vm_state,
	rec::json->>'flavor_id' AS flavor_id,
	moc.num(rec::json->'vcpus') AS vcpus,
	moc.num(rec::json->'ram_mb') AS ram_mb,
	moc.num(rec::json->'gpu_count') AS gpu_count,
	moc.ts(rec::json->>'created_at') AS created_at,
	moc.ts(rec::json->>'launched_at') AS launched_at,
	moc.ts(rec::json->>'terminated_at') AS terminated_at,
	moc.ts(rec::json->>'deleted_at') AS deleted_at
FROM moc.instance;

CREATE VIEW moc.project_v AS
SELECT region, id, valid_from, valid_to,
	rec::json->>'name' AS name, rec::json->>'domain_id' AS domain_id,
	rec::json->>'parent_id' AS parent_id
FROM moc.project;

CREATE VIEW moc.project_institution_v AS
SELECT region, id, valid_from, valid_to,
	rec::json->>'project_id' AS project_id,
	rec::json->>'institution_id' AS institution_id,
	CASE WHEN rec::json->>'share' ~ '^\d+(\.\d+)?$'
	    THEN (rec::json->>'share')::numeric END AS share
FROM moc.project_institution;

CREATE VIEW moc.user_institution_v AS
SELECT region, id, valid_from, valid_to,
	rec::json->>'user_id' AS user_id,
	rec::json->>'institution_id' AS institution_id
FROM moc.user_institution;

DROP INDEX moc.instance_valid_to, moc.volume_valid_to, moc.port_valid_to;
CREATE INDEX instance_valid_to ON moc.instance (valid_to)
	WHERE valid_to IS NOT NULL;
CREATE INDEX volume_valid_to ON moc.volume (valid_to)
	WHERE valid_to IS NOT NULL;
CREATE INDEX port_valid_to ON moc.port (valid_to)
	WHERE valid_to IS NOT NULL;
