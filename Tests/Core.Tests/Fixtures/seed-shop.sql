-- A realistic slice of a production schema: customers, their logins, their orders.
CREATE TABLE customers (
    id            bigint PRIMARY KEY,
    email         text NOT NULL UNIQUE,
    phone         text,
    full_name     text NOT NULL,
    date_of_birth date,
    country       text NOT NULL,
    created_at    timestamptz NOT NULL
);
CREATE TABLE users (
    id            bigint PRIMARY KEY,
    customer_id   bigint NOT NULL REFERENCES customers (id),
    username      text NOT NULL UNIQUE,
    password_hash text NOT NULL,
    role          text NOT NULL
);
CREATE TABLE orders (
    id          bigint PRIMARY KEY,
    customer_id bigint NOT NULL REFERENCES customers (id),
    total       numeric(10, 2) NOT NULL,
    status      text NOT NULL,
    placed_at   timestamptz NOT NULL
);

INSERT INTO customers
SELECT i,
       lower(first) || '.' || lower(last) || i || '@' || (ARRAY['gmail.com', 'outlook.com', 'acme.example'])[1 + i % 3],
       CASE WHEN i % 7 = 0 THEN NULL ELSE '+44 7700 ' || lpad((900000 + i)::text, 6, '0') END,
       first || ' ' || last,
       date '1960-01-01' + (i * 37 % 15000),
       (ARRAY['GB', 'DE', 'FR', 'US'])[1 + i % 4],
       timestamptz '2024-01-01 00:00:00+00' + i * interval '3 hours'
FROM generate_series(1, 500) AS i,
     LATERAL (SELECT (ARRAY['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara'])[1 + i % 5] AS first,
                     (ARRAY['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov'])[1 + i % 5] AS last) AS names;

INSERT INTO users
SELECT i, i, 'login' || i, '$2b$12$' || md5(i::text) || 'productionhashvalue0', CASE WHEN i % 50 = 0 THEN 'admin' ELSE 'customer' END
FROM generate_series(1, 500) AS i;

INSERT INTO orders
SELECT i, 1 + (i * 13 % 500), (i % 997) + 0.99, (ARRAY['placed', 'paid', 'shipped', 'returned'])[1 + i % 4],
       timestamptz '2025-01-01 00:00:00+00' + i * interval '47 minutes'
FROM generate_series(1, 2000) AS i;
