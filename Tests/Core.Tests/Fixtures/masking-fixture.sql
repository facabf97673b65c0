-- The masking tests' schema (PostgreSQL): 12 tables with personal columns of several types (text,
-- varchar, char, date, timestamp, inet, jsonb, nullable), a composite primary key (order_lines), tables
-- with no primary key (newsletter_signups, masked through `key:`; audit_log, truncated), foreign keys
-- between masked tables (addresses -> customers, employees -> employees), English and romanized
-- Japanese column names, and columns that look personal only by their values (payments.instrument:
-- card numbers; support_tickets.contact: e-mail addresses; support_tickets.callback: phone numbers;
-- audit_log.origin: IP addresses). masking-fixture-mysql.sql is the same for MySQL.
CREATE TABLE countries (
    code char(2) PRIMARY KEY,
    name text NOT NULL
);
CREATE TABLE customers (
    id          bigint PRIMARY KEY,
    email       varchar(255) NOT NULL UNIQUE,
    phone       text,
    full_name   text NOT NULL,
    middle_name text,
    kana        varchar(100),
    birthday    date,
    tax_id      varchar(32),
    notes       text,
    prefs       jsonb,
    status      varchar(20) NOT NULL,
    country     char(2) NOT NULL REFERENCES countries (code),
    created_at  timestamp NOT NULL
);
CREATE TABLE addresses (
    id          bigint PRIMARY KEY,
    customer_id bigint NOT NULL REFERENCES customers (id),
    yubin       varchar(8) NOT NULL,
    jusho       text NOT NULL,
    city        text NOT NULL
);
CREATE TABLE users (
    id            bigint PRIMARY KEY,
    customer_id   bigint REFERENCES customers (id),
    login         varchar(50) NOT NULL UNIQUE,
    password_hash text NOT NULL,
    last_login_ip inet
);
CREATE TABLE sessions (
    id         bigint PRIMARY KEY,
    user_id    bigint NOT NULL REFERENCES users (id),
    token      text NOT NULL,
    started_at timestamp NOT NULL
);
CREATE TABLE products (
    id    bigint PRIMARY KEY,
    name  text NOT NULL,
    price numeric(10, 2) NOT NULL
);
CREATE TABLE orders (
    id            bigint PRIMARY KEY,
    customer_id   bigint NOT NULL REFERENCES customers (id),
    shipping_name varchar(100) NOT NULL,
    placed_at     timestamp NOT NULL,
    total         numeric(10, 2) NOT NULL
);
CREATE TABLE order_lines (
    order_id     bigint NOT NULL REFERENCES orders (id),
    line_no      int NOT NULL,
    product_id   bigint NOT NULL REFERENCES products (id),
    gift_message text,
    quantity     int NOT NULL,
    PRIMARY KEY (order_id, line_no)
);
CREATE TABLE payments (
    id         bigint PRIMARY KEY,
    order_id   bigint NOT NULL REFERENCES orders (id),
    instrument varchar(19) NOT NULL,
    amount     numeric(10, 2) NOT NULL
);
CREATE TABLE support_tickets (
    id          bigint PRIMARY KEY,
    customer_id bigint NOT NULL REFERENCES customers (id),
    contact     varchar(255),
    callback    varchar(20),
    body        text NOT NULL,
    opened_on   date NOT NULL
);
CREATE TABLE employees (
    id           bigint PRIMARY KEY,
    manager_id   bigint REFERENCES employees (id),
    shimei       varchar(100) NOT NULL,
    tel          varchar(20),
    mail_address varchar(255) NOT NULL,
    seinengappi  date NOT NULL
);
CREATE TABLE newsletter_signups (
    signup_code  varchar(20) NOT NULL,
    email        varchar(255) NOT NULL,
    signed_up_on date NOT NULL
);
CREATE TABLE audit_log (
    happened_at timestamp NOT NULL,
    actor_email text,
    origin      varchar(45) NOT NULL,
    action      text NOT NULL
);

INSERT INTO countries VALUES ('JP', 'Japan'), ('GB', 'United Kingdom'), ('DE', 'Germany'), ('US', 'United States');

INSERT INTO customers
SELECT i,
       lower(first) || '.' || lower(last) || i || '@' || (ARRAY['gmail.com', 'outlook.com', 'example.co.jp'])[1 + i % 3],
       CASE WHEN i % 7 = 0 THEN NULL ELSE '090-' || lpad((i % 10000)::text, 4, '0') || '-' || lpad((i * 7 % 10000)::text, 4, '0') END,
       first || ' ' || last,
       CASE WHEN i % 3 = 0 THEN 'M.' END,
       CASE WHEN i % 2 = 0 THEN 'ヤマダ タロウ' END,
       CASE WHEN i % 11 = 0 THEN NULL ELSE date '1960-01-01' + (i * 37 % 15000) END,
       CASE WHEN i % 5 = 0 THEN NULL ELSE 'TX-' || (100000 + i * 13) END,
       CASE WHEN i % 4 = 0 THEN NULL ELSE 'Called ' || first || ' about order ' || i END,
       CASE WHEN i % 6 = 0 THEN NULL ELSE ('{"newsletter": true, "nickname": "' || lower(first) || '"}')::jsonb END,
       (ARRAY['active', 'vip', 'closed'])[1 + i % 3],
       (ARRAY['JP', 'GB', 'DE', 'US'])[1 + i % 4],
       timestamp '2024-01-01 00:00:00' + i * interval '3 hours'
FROM generate_series(1, 300) AS i,
     LATERAL (SELECT (ARRAY['Ada', 'Grace', 'Alan', 'Hanako', 'Taro'])[1 + i % 5] AS first,
                     (ARRAY['Lovelace', 'Hopper', 'Turing', 'Yamada', 'Suzuki'])[1 + i % 5] AS last) AS names;

INSERT INTO addresses
SELECT i, 1 + (i * 7 % 300), lpad((i * 31 % 1000)::text, 3, '0') || '-' || lpad((i * 17 % 10000)::text, 4, '0'),
       i || '-' || (i % 9 + 1) || ' Chiyoda', (ARRAY['Tokyo', 'Osaka', 'London'])[1 + i % 3]
FROM generate_series(1, 300) AS i;

INSERT INTO users
SELECT i, CASE WHEN i % 10 = 0 THEN NULL ELSE i END, 'login' || i, '$2b$12$' || md5(i::text),
       CASE WHEN i % 3 = 0 THEN NULL ELSE ('10.0.' || (i % 256) || '.' || (i * 7 % 256))::inet END
FROM generate_series(1, 300) AS i;

INSERT INTO sessions
SELECT i, 1 + (i * 3 % 300), md5('session' || i), timestamp '2025-01-01 00:00:00' + i * interval '1 minute'
FROM generate_series(1, 300) AS i;

INSERT INTO products
SELECT i, 'Product ' || i, (i % 97) + 0.5 FROM generate_series(1, 50) AS i;

INSERT INTO orders
SELECT i, 1 + (i * 13 % 300), 'Ada Lovelace ' || i, timestamp '2025-01-01 00:00:00' + i * interval '47 minutes', (i % 997) + 0.99
FROM generate_series(1, 300) AS i;

INSERT INTO order_lines
SELECT o, l, 1 + ((o + l) % 50), CASE WHEN (o + l) % 3 = 0 THEN 'Happy birthday, Grace!' END, 1 + l
FROM generate_series(1, 300) AS o, generate_series(1, 2) AS l;

-- Card numbers that pass Luhn (4111111111111111 and friends), under a name that says nothing.
INSERT INTO payments
SELECT i, i, (ARRAY['4111111111111111', '5555555555554444', '4012 8888 8888 1881', '3782-822463-10005'])[1 + i % 4], (i % 997) + 0.99
FROM generate_series(1, 300) AS i;

INSERT INTO support_tickets
SELECT i, 1 + (i * 11 % 300),
       CASE WHEN i % 9 = 0 THEN NULL ELSE 'reporter' || i || '@example.com' END,
       CASE WHEN i % 4 = 0 THEN NULL ELSE '+81 3-' || lpad((i % 10000)::text, 4, '0') || '-' || lpad((i * 3 % 10000)::text, 4, '0') END,
       'My card ending ' || (1000 + i) || ' was charged twice', date '2025-02-01' + (i % 60)
FROM generate_series(1, 300) AS i;

INSERT INTO employees
SELECT i, CASE WHEN i = 1 THEN NULL ELSE 1 + (i - 2) / 5 END, '山田 太郎 ' || i,
       CASE WHEN i % 2 = 0 THEN '03-5555-' || lpad(i::text, 4, '0') END, 'staff' || i || '@example.co.jp', date '1970-01-01' + (i * 101 % 12000)
FROM generate_series(1, 60) AS i;

INSERT INTO newsletter_signups
SELECT 'NL-' || i, 'reader' || i || '@example.org', date '2025-03-01' + (i % 30)
FROM generate_series(1, 200) AS i;

INSERT INTO audit_log
SELECT timestamp '2025-01-01 00:00:00' + i * interval '5 minutes', 'login' || i || '@example.net',
       '203.0.113.' || (i % 250 + 1), (ARRAY['login', 'logout', 'update'])[1 + i % 3]
FROM generate_series(1, 200) AS i;
