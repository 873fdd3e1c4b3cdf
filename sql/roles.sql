-- roles.sql: the two roles of the suite (pg-load --init --roles applies it;
-- an administrator may run it with psql instead).
--   moc_loader    writes: pg-load
--   moc_reporter  reads only: pg-extract, consistency-check
-- Both may log in; give them passwords (or use peer/cert authentication)
-- as the site requires.  Privileges on tables created by later migrations
-- follow from the default privileges set here.
DO $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'moc_loader') THEN
		CREATE ROLE moc_loader LOGIN;
	END IF;
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'moc_reporter') THEN
		CREATE ROLE moc_reporter LOGIN;
	END IF;
END $$;

GRANT USAGE ON SCHEMA moc TO moc_loader, moc_reporter;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA moc TO moc_loader;
GRANT SELECT ON ALL TABLES IN SCHEMA moc TO moc_reporter;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA moc TO moc_loader, moc_reporter;
ALTER DEFAULT PRIVILEGES IN SCHEMA moc
	GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO moc_loader;
ALTER DEFAULT PRIVILEGES IN SCHEMA moc GRANT SELECT ON TABLES TO moc_reporter;
-- Neither role may create objects in the suite's schema (nor, since
-- PostgreSQL 15, in public).
REVOKE CREATE ON SCHEMA moc FROM PUBLIC;
