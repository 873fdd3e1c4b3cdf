-- 001-initial.sql: the moc-reporting schema, first version.
--
-- Everything lives in the schema "moc".  pg-load applies this file (and
-- the later NNN-*.sql files) with --init and --migrate, inside one
-- transaction, and records each applied version in moc.schema_version.
--
-- Three kinds of tables:
--
-- Object and relationship tables (one per normalized record type) keep
-- row versions: a version holds from valid_from to valid_to (NULL = still
-- valid), end exclusive.  A new version is written only when the record's
-- content hash changes (the hash leaves out observed_at and run_id), so a
-- stable cloud polled every 15 minutes adds no rows.  An object absent from
-- a complete run, or reported deleted by OpenStack, gets its valid_to.
-- Columns:
--   region      the record's region (identity objects: the run's region)
--   id          the record's id
--   valid_from  first observation of this content (administrator records:
--               their own valid_from)
--   valid_to    end of validity, NULL while valid
--   hash        SHA-256 (first 16 bytes) of the record without observed_at
--               and run_id, keys sorted
--   run_id      the run that first saw this content
--   rec         the whole record as loaded (observed_at and run_id of that
--               first observation included), so no field is ever lost
--
-- Event-like tables (instance_action, event, tenant_usage) hold one row per
-- id, appended once: seeing the same action again stores nothing.
--   at_from, at_to  the time of the event (instance_action: start_time and
--               finish_time; event: generated; tenant_usage: the window)
--   subject_id  the instance the row is about
--   kind        instance_action: action; event: event_type
-- other_record keeps records of types this version does not know, once per
-- content hash, so that nothing sent to pg-load is dropped.
--
-- collection_run: one row per loaded run.

CREATE SCHEMA moc;

CREATE TABLE moc.schema_version (
	version		integer PRIMARY KEY,
	name		text NOT NULL,
	applied_at	timestamptz NOT NULL DEFAULT now()
);

-- The shape shared by every object and relationship table; each table is
-- created LIKE it (with its keys and checks), then the template goes.
CREATE TABLE moc.object_version_template (
	region		text NOT NULL,
	id		text NOT NULL,
	valid_from	timestamptz NOT NULL,
	valid_to	timestamptz,
	hash		bytea NOT NULL,
	run_id		text,
	rec		jsonb NOT NULL,
	PRIMARY KEY (region, id, valid_from),
	CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
-- At most one open version per object.
CREATE UNIQUE INDEX object_version_template_open
	ON moc.object_version_template (region, id) WHERE valid_to IS NULL;

CREATE TABLE moc.region			(LIKE moc.object_version_template INCLUDING ALL);
CREATE TABLE moc.domain			(LIKE moc.object_version_template INCLUDING ALL);
CREATE TABLE moc.project		(LIKE moc.object_version_template INCLUDING ALL);
CREATE TABLE moc.user_account		(LIKE moc.object_version_template INCLUDING ALL);
CREATE TABLE moc.role_assignment	(LIKE moc.object_version_template INCLUDING ALL);
CREATE TABLE moc.flavor			(LIKE moc.object_version_template INCLUDING ALL);
CREATE TABLE moc.instance		(LIKE moc.object_version_template INCLUDING ALL);
CREATE TABLE moc.volume			(LIKE moc.object_version_template INCLUDING ALL);
CREATE TABLE moc.volume_attachment	(LIKE moc.object_version_template INCLUDING ALL);
CREATE TABLE moc.snapshot		(LIKE moc.object_version_template INCLUDING ALL);
CREATE TABLE moc.volume_type		(LIKE moc.object_version_template INCLUDING ALL);
CREATE TABLE moc.network		(LIKE moc.object_version_template INCLUDING ALL);
CREATE TABLE moc.subnet			(LIKE moc.object_version_template INCLUDING ALL);
CREATE TABLE moc.router			(LIKE moc.object_version_template INCLUDING ALL);
CREATE TABLE moc.floating_ip		(LIKE moc.object_version_template INCLUDING ALL);
CREATE TABLE moc.port			(LIKE moc.object_version_template INCLUDING ALL);
CREATE TABLE moc.hypervisor		(LIKE moc.object_version_template INCLUDING ALL);
-- Administrator data (relationships between OpenStack objects and
-- institutions); a version's valid_from is the record's own valid_from
-- when it has one: the date a share or membership takes effect.
CREATE TABLE moc.institution		(LIKE moc.object_version_template INCLUDING ALL);
CREATE TABLE moc.user_institution	(LIKE moc.object_version_template INCLUDING ALL);
CREATE TABLE moc.project_institution	(LIKE moc.object_version_template INCLUDING ALL);
CREATE TABLE moc.email_domain_institution (LIKE moc.object_version_template INCLUDING ALL);
CREATE TABLE moc.project_attr		(LIKE moc.object_version_template INCLUDING ALL);
DROP TABLE moc.object_version_template;

CREATE TABLE moc.event_row_template (
	region		text NOT NULL,
	id		text NOT NULL,
	at_from		timestamptz,
	at_to		timestamptz,
	subject_id	text,
	kind		text,
	hash		bytea NOT NULL,
	run_id		text,
	rec		jsonb NOT NULL,
	PRIMARY KEY (region, id)
);
CREATE TABLE moc.instance_action	(LIKE moc.event_row_template INCLUDING ALL);
CREATE TABLE moc.event			(LIKE moc.event_row_template INCLUDING ALL);
CREATE TABLE moc.tenant_usage		(LIKE moc.event_row_template INCLUDING ALL);
-- id is the hex content hash; type is the record's own type.
CREATE TABLE moc.other_record		(LIKE moc.event_row_template INCLUDING ALL);
ALTER TABLE moc.other_record ADD COLUMN type text NOT NULL;
DROP TABLE moc.event_row_template;

-- Delete actions give an instance's deletion time when a poll finds it gone.
CREATE INDEX instance_action_subject ON moc.instance_action (subject_id, kind);

CREATE TABLE moc.collection_run (
	id		text PRIMARY KEY,	-- run_id
	source		text,
	cloud		text,
	region		text,
	started_at	timestamptz,
	ended_at	timestamptz,
	complete	boolean NOT NULL,	-- run_end said complete
	partial		boolean NOT NULL,	-- loaded with --partial: no deletions inferred
	resources	jsonb,			-- run_start.resources: what the run read
	counts		jsonb NOT NULL,		-- records loaded per type
	digest		text NOT NULL,		-- SHA-256 of the run's input lines
	run_start	jsonb NOT NULL,
	run_end		jsonb,
	loaded_at	timestamptz NOT NULL DEFAULT now()
);
