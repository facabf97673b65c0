-- Example masking script for Aurora MySQL clones: replace personal data with deterministic fakes.
--
-- It runs after the clone's instance is available and before the endpoint is published in SSM,
-- inside one transaction (the hook sends START TRANSACTION, this file, COMMIT to the mysql client,
-- which stops at the first error; the server then rolls the transaction back): it applies
-- completely or not at all, and an error fails `pulumi up` with this file's name and line.
--
-- Only DML (UPDATE) belongs here: in MySQL any DDL (ALTER, CREATE, DROP, TRUNCATE, ...) and any
-- COMMIT commit implicitly, so the statements before it would stay even if a later one fails.
-- End every statement with ';', the last one too.
--
-- Rules it follows, which every masking script should:
--   * Deterministic: a value derives from the row's key, so a re-run (after a re-clone, or when this
--     file changes) gives the same data and tests that look up "customer 42" keep working.
--   * Keys, row counts and foreign keys are untouched; only personal columns change.
--   * Idempotent: running it twice equals running it once.
--   * Fakes never collide with real values (the example.invalid domain, a 'user-' prefix): unlike
--     PostgreSQL, MySQL checks a UNIQUE index row by row during an UPDATE, not at its end.
--
-- Adapt the table and column names to your schema. This example expects:
--   customers(id BIGINT, email VARCHAR, phone VARCHAR, full_name VARCHAR, date_of_birth DATE, ...)
--   users(id BIGINT, customer_id BIGINT, username VARCHAR, password_hash VARCHAR, ...)

UPDATE customers
SET email         = CONCAT('customer-', id, '@example.invalid'),
    phone         = CONCAT('+1555', LPAD(id % 10000000, 7, '0')),
    full_name     = CONCAT('Customer ', id),
    date_of_birth = DATE '1970-01-01' + INTERVAL (id % 18000) DAY;

-- A hash that matches no password: nobody can log in with a production password. Testers set
-- their own through the application's reset flow (or give this a known test hash).
UPDATE users
SET username      = CONCAT('user-', id),
    password_hash = 'masked:reset-required';
