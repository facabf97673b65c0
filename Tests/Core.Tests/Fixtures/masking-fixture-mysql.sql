-- masking-fixture.sql in MySQL 8.0 / MariaDB SQL: the same tables, columns and rows, so the masking
-- contract asserts the same on both engines. What differs from the PostgreSQL file, and why:
--   * jsonb -> JSON, inet -> VARCHAR(45), timestamp -> DATETIME, text in a UNIQUE/key -> VARCHAR.
--   * foreign keys as table constraints: MySQL ignores an inline `REFERENCES` on a column.
--   * CONCAT and ELT instead of || and ARRAY[...]; numbers from recursive CTEs (at most 300 levels,
--     under MySQL 8's cte_max_recursion_depth of 1000).
CREATE TABLE countries (
    code CHAR(2) PRIMARY KEY,
    name TEXT NOT NULL
);
CREATE TABLE customers (
    id          BIGINT PRIMARY KEY,
    email       VARCHAR(255) NOT NULL UNIQUE,
    phone       TEXT,
    full_name   TEXT NOT NULL,
    middle_name TEXT,
    kana        VARCHAR(100),
    birthday    DATE,
    tax_id      VARCHAR(32),
    notes       TEXT,
    prefs       JSON,
    status      VARCHAR(20) NOT NULL,
    country     CHAR(2) NOT NULL,
    created_at  DATETIME NOT NULL,
    FOREIGN KEY (country) REFERENCES countries (code)
);
CREATE TABLE addresses (
    id          BIGINT PRIMARY KEY,
    customer_id BIGINT NOT NULL,
    yubin       VARCHAR(8) NOT NULL,
    jusho       TEXT NOT NULL,
    city        TEXT NOT NULL,
    FOREIGN KEY (customer_id) REFERENCES customers (id)
);
CREATE TABLE users (
    id            BIGINT PRIMARY KEY,
    customer_id   BIGINT,
    login         VARCHAR(50) NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    last_login_ip VARCHAR(45),
    FOREIGN KEY (customer_id) REFERENCES customers (id)
);
CREATE TABLE sessions (
    id         BIGINT PRIMARY KEY,
    user_id    BIGINT NOT NULL,
    token      TEXT NOT NULL,
    started_at DATETIME NOT NULL,
    FOREIGN KEY (user_id) REFERENCES users (id)
);
CREATE TABLE products (
    id    BIGINT PRIMARY KEY,
    name  TEXT NOT NULL,
    price DECIMAL(10, 2) NOT NULL
);
CREATE TABLE orders (
    id            BIGINT PRIMARY KEY,
    customer_id   BIGINT NOT NULL,
    shipping_name VARCHAR(100) NOT NULL,
    placed_at     DATETIME NOT NULL,
    total         DECIMAL(10, 2) NOT NULL,
    FOREIGN KEY (customer_id) REFERENCES customers (id)
);
CREATE TABLE order_lines (
    order_id     BIGINT NOT NULL,
    line_no      INT NOT NULL,
    product_id   BIGINT NOT NULL,
    gift_message TEXT,
    quantity     INT NOT NULL,
    PRIMARY KEY (order_id, line_no),
    FOREIGN KEY (order_id) REFERENCES orders (id),
    FOREIGN KEY (product_id) REFERENCES products (id)
);
CREATE TABLE payments (
    id         BIGINT PRIMARY KEY,
    order_id   BIGINT NOT NULL,
    instrument VARCHAR(19) NOT NULL,
    amount     DECIMAL(10, 2) NOT NULL,
    FOREIGN KEY (order_id) REFERENCES orders (id)
);
CREATE TABLE support_tickets (
    id          BIGINT PRIMARY KEY,
    customer_id BIGINT NOT NULL,
    contact     VARCHAR(255),
    callback    VARCHAR(20),
    body        TEXT NOT NULL,
    opened_on   DATE NOT NULL,
    FOREIGN KEY (customer_id) REFERENCES customers (id)
);
CREATE TABLE employees (
    id           BIGINT PRIMARY KEY,
    manager_id   BIGINT,
    shimei       VARCHAR(100) NOT NULL,
    tel          VARCHAR(20),
    mail_address VARCHAR(255) NOT NULL,
    seinengappi  DATE NOT NULL,
    FOREIGN KEY (manager_id) REFERENCES employees (id)
);
CREATE TABLE newsletter_signups (
    signup_code  VARCHAR(20) NOT NULL,
    email        VARCHAR(255) NOT NULL,
    signed_up_on DATE NOT NULL
);
CREATE TABLE audit_log (
    happened_at DATETIME NOT NULL,
    actor_email TEXT,
    origin      VARCHAR(45) NOT NULL,
    action      TEXT NOT NULL
);

INSERT INTO countries VALUES ('JP', 'Japan'), ('GB', 'United Kingdom'), ('DE', 'Germany'), ('US', 'United States');

INSERT INTO customers
WITH RECURSIVE numbers (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM numbers WHERE i < 300),
     people AS (SELECT i, ELT(1 + i % 5, 'Ada', 'Grace', 'Alan', 'Hanako', 'Taro') AS first,
                       ELT(1 + i % 5, 'Lovelace', 'Hopper', 'Turing', 'Yamada', 'Suzuki') AS last
                FROM numbers)
SELECT i,
       CONCAT(LOWER(first), '.', LOWER(last), i, '@', ELT(1 + i % 3, 'gmail.com', 'outlook.com', 'example.co.jp')),
       CASE WHEN i % 7 = 0 THEN NULL ELSE CONCAT('090-', LPAD(i % 10000, 4, '0'), '-', LPAD(i * 7 % 10000, 4, '0')) END,
       CONCAT(first, ' ', last),
       CASE WHEN i % 3 = 0 THEN 'M.' END,
       CASE WHEN i % 2 = 0 THEN 'ヤマダ タロウ' END,
       CASE WHEN i % 11 = 0 THEN NULL ELSE DATE '1960-01-01' + INTERVAL (i * 37 % 15000) DAY END,
       CASE WHEN i % 5 = 0 THEN NULL ELSE CONCAT('TX-', 100000 + i * 13) END,
       CASE WHEN i % 4 = 0 THEN NULL ELSE CONCAT('Called ', first, ' about order ', i) END,
       CASE WHEN i % 6 = 0 THEN NULL ELSE CONCAT('{"newsletter": true, "nickname": "', LOWER(first), '"}') END,
       ELT(1 + i % 3, 'active', 'vip', 'closed'),
       ELT(1 + i % 4, 'JP', 'GB', 'DE', 'US'),
       TIMESTAMP '2024-01-01 00:00:00' + INTERVAL (i * 3) HOUR
FROM people;

INSERT INTO addresses
WITH RECURSIVE numbers (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM numbers WHERE i < 300)
SELECT i, 1 + (i * 7 % 300), CONCAT(LPAD(i * 31 % 1000, 3, '0'), '-', LPAD(i * 17 % 10000, 4, '0')),
       CONCAT(i, '-', i % 9 + 1, ' Chiyoda'), ELT(1 + i % 3, 'Tokyo', 'Osaka', 'London')
FROM numbers;

INSERT INTO users
WITH RECURSIVE numbers (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM numbers WHERE i < 300)
SELECT i, CASE WHEN i % 10 = 0 THEN NULL ELSE i END, CONCAT('login', i), CONCAT('$2b$12$', MD5(i)),
       CASE WHEN i % 3 = 0 THEN NULL ELSE CONCAT('10.0.', i % 256, '.', i * 7 % 256) END
FROM numbers;

INSERT INTO sessions
WITH RECURSIVE numbers (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM numbers WHERE i < 300)
SELECT i, 1 + (i * 3 % 300), MD5(CONCAT('session', i)), TIMESTAMP '2025-01-01 00:00:00' + INTERVAL i MINUTE
FROM numbers;

INSERT INTO products
WITH RECURSIVE numbers (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM numbers WHERE i < 50)
SELECT i, CONCAT('Product ', i), (i % 97) + 0.5 FROM numbers;

INSERT INTO orders
WITH RECURSIVE numbers (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM numbers WHERE i < 300)
SELECT i, 1 + (i * 13 % 300), CONCAT('Ada Lovelace ', i), TIMESTAMP '2025-01-01 00:00:00' + INTERVAL (i * 47) MINUTE, (i % 997) + 0.99
FROM numbers;

INSERT INTO order_lines
WITH RECURSIVE numbers (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM numbers WHERE i < 300)
SELECT o.i, l.i, 1 + ((o.i + l.i) % 50), CASE WHEN (o.i + l.i) % 3 = 0 THEN 'Happy birthday, Grace!' END, 1 + l.i
FROM numbers AS o, (SELECT 1 AS i UNION ALL SELECT 2) AS l;

-- Card numbers that pass Luhn (4111111111111111 and friends), under a name that says nothing.
INSERT INTO payments
WITH RECURSIVE numbers (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM numbers WHERE i < 300)
SELECT i, i, ELT(1 + i % 4, '4111111111111111', '5555555555554444', '4012 8888 8888 1881', '3782-822463-10005'), (i % 997) + 0.99
FROM numbers;

INSERT INTO support_tickets
WITH RECURSIVE numbers (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM numbers WHERE i < 300)
SELECT i, 1 + (i * 11 % 300),
       CASE WHEN i % 9 = 0 THEN NULL ELSE CONCAT('reporter', i, '@example.com') END,
       CASE WHEN i % 4 = 0 THEN NULL ELSE CONCAT('+81 3-', LPAD(i % 10000, 4, '0'), '-', LPAD(i * 3 % 10000, 4, '0')) END,
       CONCAT('My card ending ', 1000 + i, ' was charged twice'), DATE '2025-02-01' + INTERVAL (i % 60) DAY
FROM numbers;

INSERT INTO employees
WITH RECURSIVE numbers (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM numbers WHERE i < 60)
SELECT i, CASE WHEN i = 1 THEN NULL ELSE 1 + (i - 2) DIV 5 END, CONCAT('山田 太郎 ', i),
       CASE WHEN i % 2 = 0 THEN CONCAT('03-5555-', LPAD(i, 4, '0')) END, CONCAT('staff', i, '@example.co.jp'),
       DATE '1970-01-01' + INTERVAL (i * 101 % 12000) DAY
FROM numbers ORDER BY i;

INSERT INTO newsletter_signups
WITH RECURSIVE numbers (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM numbers WHERE i < 200)
SELECT CONCAT('NL-', i), CONCAT('reader', i, '@example.org'), DATE '2025-03-01' + INTERVAL (i % 30) DAY
FROM numbers;

INSERT INTO audit_log
WITH RECURSIVE numbers (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM numbers WHERE i < 200)
SELECT TIMESTAMP '2025-01-01 00:00:00' + INTERVAL (i * 5) MINUTE, CONCAT('login', i, '@example.net'),
       CONCAT('203.0.113.', i % 250 + 1), ELT(1 + i % 3, 'login', 'logout', 'update')
FROM numbers;
