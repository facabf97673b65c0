-- seed-shop.sql in MySQL 8.0 / MariaDB SQL: the same tables, columns and rows (500 customers, 500
-- users, 2000 orders, the same values), so the MySQL hook tests assert what the PostgreSQL ones do.
-- What differs from the PostgreSQL file, and why:
--   * text -> VARCHAR: a UNIQUE index on TEXT needs a prefix length in MySQL.
--   * timestamptz -> DATETIME (UTC by convention); MySQL has no time zone in the column type.
--   * foreign keys as table constraints: MySQL ignores an inline `REFERENCES` on a column.
--   * CONCAT and ELT instead of || and ARRAY[...]: in MySQL || is OR unless PIPES_AS_CONCAT.
--   * numbers from a recursive CTE instead of generate_series; 2000 orders are 4 x 500, since
--     MySQL 8 stops a recursive CTE at 1000 levels (cte_max_recursion_depth).
CREATE TABLE customers (
    id            BIGINT PRIMARY KEY,
    email         VARCHAR(255) NOT NULL UNIQUE,
    phone         VARCHAR(32),
    full_name     VARCHAR(255) NOT NULL,
    date_of_birth DATE,
    country       VARCHAR(2) NOT NULL,
    created_at    DATETIME NOT NULL
);
CREATE TABLE users (
    id            BIGINT PRIMARY KEY,
    customer_id   BIGINT NOT NULL,
    username      VARCHAR(255) NOT NULL UNIQUE,
    password_hash VARCHAR(255) NOT NULL,
    role          VARCHAR(32) NOT NULL,
    FOREIGN KEY (customer_id) REFERENCES customers (id)
);
CREATE TABLE orders (
    id          BIGINT PRIMARY KEY,
    customer_id BIGINT NOT NULL,
    total       DECIMAL(10, 2) NOT NULL,
    status      VARCHAR(32) NOT NULL,
    placed_at   DATETIME NOT NULL,
    FOREIGN KEY (customer_id) REFERENCES customers (id)
);

INSERT INTO customers (id, email, phone, full_name, date_of_birth, country, created_at)
WITH RECURSIVE numbers (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM numbers WHERE i < 500),
     people AS (SELECT i, ELT(1 + i % 5, 'Ada', 'Grace', 'Alan', 'Edsger', 'Barbara') AS first,
                       ELT(1 + i % 5, 'Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov') AS last
                FROM numbers)
SELECT i,
       CONCAT(LOWER(first), '.', LOWER(last), i, '@', ELT(1 + i % 3, 'gmail.com', 'outlook.com', 'acme.example')),
       CASE WHEN i % 7 = 0 THEN NULL ELSE CONCAT('+44 7700 ', LPAD(900000 + i, 6, '0')) END,
       CONCAT(first, ' ', last),
       DATE '1960-01-01' + INTERVAL (i * 37 % 15000) DAY,
       ELT(1 + i % 4, 'GB', 'DE', 'FR', 'US'),
       TIMESTAMP '2024-01-01 00:00:00' + INTERVAL (i * 3) HOUR
FROM people;

INSERT INTO users (id, customer_id, username, password_hash, role)
WITH RECURSIVE numbers (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM numbers WHERE i < 500)
SELECT i, i, CONCAT('login', i), CONCAT('$2b$12$', MD5(i), 'productionhashvalue0'), CASE WHEN i % 50 = 0 THEN 'admin' ELSE 'customer' END
FROM numbers;

INSERT INTO orders (id, customer_id, total, status, placed_at)
WITH RECURSIVE numbers (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM numbers WHERE i < 500),
     ids AS (SELECT (block.k * 500) + numbers.i AS i FROM numbers, (SELECT 0 AS k UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3) AS block)
SELECT i, 1 + (i * 13 % 500), (i % 997) + 0.99, ELT(1 + i % 4, 'placed', 'paid', 'shipped', 'returned'),
       TIMESTAMP '2025-01-01 00:00:00' + INTERVAL (i * 47) MINUTE
FROM ids;
