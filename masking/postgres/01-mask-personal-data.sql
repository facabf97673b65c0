-- Example masking script for Aurora PostgreSQL clones: replace personal data with deterministic fakes.
--
-- It runs after the clone's instance is available and before the endpoint is published in SSM,
-- inside one transaction (psql --single-transaction, ON_ERROR_STOP): it applies completely or not
-- at all, and an error fails `pulumi up` with this file's name and line.
--
-- Rules it follows, which every masking script should:
--   * Deterministic: a value derives from the row's key, so a re-run (after a re-clone, or when this
--     file changes) gives the same data and tests that look up "customer 42" keep working.
--   * Keys, row counts and foreign keys are untouched; only personal columns change.
--   * Idempotent: running it twice equals running it once.
--   * Only UPDATEs of the clone: it never drops, truncates or touches anything but the listed columns.
--
-- Adapt the table and column names to your schema. This example expects:
--   customers(id bigint, email text, phone text, full_name text, date_of_birth date, ...)
--   users(id bigint, customer_id bigint, username text, password_hash text, ...)

UPDATE customers
SET email         = 'customer-' || id || '@example.invalid',
    phone         = '+1555' || lpad((id % 10000000)::text, 7, '0'),
    full_name     = 'Customer ' || id,
    date_of_birth = date '1970-01-01' + (id % 18000)::int;

-- A hash that matches no password: nobody can log in with a production password. Testers set
-- their own through the application's reset flow (or give this a known test hash).
UPDATE users
SET username      = 'user-' || id,
    password_hash = 'masked:reset-required';
