-- 003-json-records.sql: records kept as json (their text as loaded)
-- rather than jsonb.
--
-- Turning every record into jsonb cost more than half of a bulk load
-- (the server parses and rebuilds each one), and nothing needs jsonb
-- while loading: changes are found by the content hash pg-load computes.
-- The json type still validates each record and keeps its text exactly;
-- ->, ->> and the typed views below read it as before.  A record whose
-- text json would keep but jsonb would not (duplicate keys, \u0000 or a
-- UTF-16 surrogate escape, a raw carriage return) is stored in jsonb's
-- form (or refused as jsonb refuses it), so reading a field never depends
-- on which duplicate comes first and never fails.
--
-- The views of 002 depend on the column: dropped, then made again over
-- json.  Converting jsonb to json keeps each record's text as jsonb
-- printed it.

DROP VIEW moc.instance_v, moc.project_v, moc.project_institution_v,
	moc.user_institution_v;

ALTER TABLE moc.region			ALTER COLUMN rec TYPE json USING rec::json;
ALTER TABLE moc.domain			ALTER COLUMN rec TYPE json USING rec::json;
ALTER TABLE moc.project			ALTER COLUMN rec TYPE json USING rec::json;
ALTER TABLE moc.user_account		ALTER COLUMN rec TYPE json USING rec::json;
ALTER TABLE moc.role_assignment		ALTER COLUMN rec TYPE json USING rec::json;
ALTER TABLE moc.flavor			ALTER COLUMN rec TYPE json USING rec::json;
ALTER TABLE moc.instance		ALTER COLUMN rec TYPE json USING rec::json;
ALTER TABLE moc.volume			ALTER COLUMN rec TYPE json USING rec::json;
ALTER TABLE moc.volume_attachment	ALTER COLUMN rec TYPE json USING rec::json;
ALTER TABLE moc.snapshot		ALTER COLUMN rec TYPE json USING rec::json;
ALTER TABLE moc.volume_type		ALTER COLUMN rec TYPE json USING rec::json;
ALTER TABLE moc.network			ALTER COLUMN rec TYPE json USING rec::json;
ALTER TABLE moc.subnet			ALTER COLUMN rec TYPE json USING rec::json;
ALTER TABLE moc.router			ALTER COLUMN rec TYPE json USING rec::json;
ALTER TABLE moc.floating_ip		ALTER COLUMN rec TYPE json USING rec::json;
ALTER TABLE moc.port			ALTER COLUMN rec TYPE json USING rec::json;
ALTER TABLE moc.hypervisor		ALTER COLUMN rec TYPE json USING rec::json;
ALTER TABLE moc.institution		ALTER COLUMN rec TYPE json USING rec::json;
ALTER TABLE moc.user_institution	ALTER COLUMN rec TYPE json USING rec::json;
ALTER TABLE moc.project_institution	ALTER COLUMN rec TYPE json USING rec::json;
ALTER TABLE moc.email_domain_institution ALTER COLUMN rec TYPE json USING rec::json;
ALTER TABLE moc.project_attr		ALTER COLUMN rec TYPE json USING rec::json;
ALTER TABLE moc.instance_action		ALTER COLUMN rec TYPE json USING rec::json;
ALTER TABLE moc.event			ALTER COLUMN rec TYPE json USING rec::json;
ALTER TABLE moc.tenant_usage		ALTER COLUMN rec TYPE json USING rec::json;
ALTER TABLE moc.other_record		ALTER COLUMN rec TYPE json USING rec::json;

CREATE FUNCTION moc.num(v json) RETURNS numeric
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT CASE WHEN json_typeof(v) = 'number' THEN (v #>> '{}')::numeric END
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
