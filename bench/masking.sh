#!/usr/bin/env bash
# Times `qa-db masking apply` against the equivalent hand-written UPDATE on 1,000,000 rows with 5
# personal columns, side by side in the same run, on a throwaway PostgreSQL (the tests' PostgreSQL:
# Debian's server binaries, 127.0.0.1, a free port, fsync off), and prints both and their ratio.
# A benchmark, not a test: run it by hand.
#   bash bench/masking.sh [RUNS] [ROWS]      (defaults: 5 runs, 1000000 rows)
# Each run masks a fresh copy of the same table (copied and vacuumed before the clock starts) and
# the contenders alternate, so caches and table state are alike; autovacuum is off and checkpoints
# wait for the explicit CHECKPOINT between runs, so neither lands inside a timed run. What `apply` includes and the
# UPDATE does not: starting the qa-db process, reading the catalog, the gate, the verification scan
# that recomputes every derived column before the transaction commits, and the ledger row.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
rows=${2:-1000000}

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
[ -x "$bin/initdb" ] || { echo "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin: install Debian's postgresql" >&2; exit 1; }
dotnet build Cli/QaDatabases.Cli.csproj -c Release --nologo -v quiet >/dev/null

dir=$(mktemp -d /tmp/qa-db-bench-XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
as_pg=()
if [ "$(id -u)" = 0 ]; then chown postgres "$dir"; as_pg=(runuser -u postgres --); fi
cleanup() { "${as_pg[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$dir"; }
trap cleanup EXIT
echo bench >"$dir/pw"
"${as_pg[@]}" "$bin/initdb" -D "$dir/data" -U bench --pwfile "$dir/pw" -A scram-sha-256 --no-sync -E UTF8 --locale C >/dev/null
"${as_pg[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o "-p $port -c listen_addresses=127.0.0.1 -k $dir -c fsync=off -c autovacuum=off -c max_wal_size=8GB -c checkpoint_timeout=1h" start >/dev/null
export PGHOST=127.0.0.1 PGPORT=$port PGUSER=bench PGPASSWORD=bench PGDATABASE=postgres PGOPTIONS="-c client_min_messages=warning"
export QA_DB_CONNECTION="Host=127.0.0.1;Port=$port;Username=bench;Password=bench;Database=postgres"
sql() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }

echo "loading $rows rows ..."
sql <<SQL
CREATE SCHEMA source;
CREATE TABLE source.people AS
SELECT i::bigint AS id,
       'person' || i || '@mail.example.com' AS email,
       '+44 7700 ' || lpad((i % 1000000)::text, 6, '0') AS phone,
       (ARRAY['Ada', 'Grace', 'Alan', 'Edsger'])[1 + i % 4] || ' ' || (ARRAY['Lovelace', 'Hopper', 'Turing', 'Dijkstra'])[1 + i % 4] AS full_name,
       date '1950-01-01' + (i % 20000)::int AS birth_date,
       'Called about order ' || i AS notes,
       'active'::text AS status,
       timestamptz '2024-01-01 00:00:00+00' + i * interval '1 minute' AS created_at
FROM generate_series(1, $rows) AS i;
SQL

cat >"$dir/policy.yaml" <<'YAML'
schemas: [public]
tables:
  people:
    columns:
      id: keep
      email: email
      phone: phone
      full_name: name
      birth_date: { date-shift: 30 }
      notes: { text: "note-" }
      status: keep
      created_at: keep
YAML

# The hand-written equivalent: the same five columns from the same key, as a masking script would.
handwritten="UPDATE people SET
  email = 'user-' || id || '@example.invalid',
  phone = '+1555' || lpad((id % 10000000)::text, 7, '0'),
  full_name = (ARRAY['Alex', 'Sam', 'Robin', 'Jordan'])[1 + id % 4] || ' ' || (ARRAY['Smith', 'Garcia', 'Tanaka', 'Muller'])[1 + id / 4 % 4],
  birth_date = birth_date + ((id % 30 + 1) * (1 - 2 * (id / 30 % 2)))::int,
  notes = 'note-' || id"

fresh() { # a fresh copy of the table and no ledger, then a checkpoint, before the clock starts
  sql -c "DROP TABLE IF EXISTS public.people; DROP SCHEMA IF EXISTS qa_db CASCADE;" \
      -c "CREATE TABLE public.people AS SELECT * FROM source.people; ALTER TABLE public.people ADD PRIMARY KEY (id);" \
      -c "VACUUM ANALYZE public.people;" -c "CHECKPOINT;"
}
ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

apply_times=() update_times=() ratios=()
for run in $(seq "$runs"); do
  fresh
  start=$(date +%s%N)
  dotnet Cli/bin/Release/net10.0/qa-db.dll masking apply --policy "$dir/policy.yaml" --engine postgresql >/dev/null
  apply_times+=("$(ms "$start")")

  fresh
  start=$(date +%s%N)
  sql -c "$handwritten"
  update_times+=("$(ms "$start")")
  ratios+=("$(awk -v a="${apply_times[-1]}" -v u="${update_times[-1]}" 'BEGIN {printf "%.3f", a / u}')")
  echo "run $run: apply ${apply_times[-1]} ms, hand-written UPDATE ${update_times[-1]} ms, ratio ${ratios[-1]}"
done

# The ratio is the median of each run's own ratio: the two halves of a run are seconds apart, so
# a machine busy with something else slows both, where medians taken apart could pair a quiet
# apply with a busy UPDATE.
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
echo
echo "$rows rows x 5 personal columns, median of $runs runs: qa-db masking apply $(median "${apply_times[@]}") ms, hand-written UPDATE $(median "${update_times[@]}") ms, ratio $(median "${ratios[@]}" | awk '{printf "%.2f", $1}')"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2 / 1048576}' /proc/meminfo), $("$bin/postgres" --version)"
