#!/usr/bin/env bash
# Times `qa-db pool claim` against moto's SSM (Tests/moto/serve.py, single-threaded like AWS's
# atomic create) with 1 and 16 concurrent claimers, over RUNS runs each, and prints the median and
# the worst wall-clock time of one claim. A benchmark, not a test: run it by hand.
#   bash bench/pool-claim.sh [RUNS]      (default 10)
# What it measures: our process start + one GetParametersByPath + the conditional PutParameter(s) +
# the check read, against a local stand-in. It does not include AWS's network latency (add a few
# tens of ms per call in-region) nor the resume of a paused member (~15 s, AWS's figure).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10}
members=20
dotnet build Cli/QaDatabases.Cli.csproj -c Release --nologo -v quiet >/dev/null
. bench/moto.sh

seed() { # pool: $members ready members, as the pool stack writes them
  python3 - "$1" "$members" <<'PY'
import json, sys, boto3, os
pool, n = sys.argv[1], int(sys.argv[2])
ssm = boto3.client("ssm", endpoint_url=os.environ["AWS_ENDPOINT_URL"], region_name=os.environ["AWS_REGION"])
for m in range(1, n + 1):
    ready = dict(clusterIdentifier=f"{pool}-m{m}-db", endpoint="e", readerEndpoint="r", port=5432, masterUserSecretArn="arn",
                 masterUsername="postgres", clusterResourceId=f"cluster-{m}", databaseName="orders", engine="aurora-postgresql",
                 securityGroupId="sg-1", sourceCluster="prod", generation=1, createdAt="2026-11-25T05:00:00Z",
                 masking="policy masking/policy.yaml: gate passed", masked=True)
    ssm.put_parameter(Name=f"/qa-db/pools/{pool}/members/{m}/ready", Value=json.dumps(ready), Type="String")
PY
}

claim() { # pool stack -> prints milliseconds taken (a claim that finds no member exits 3: still timed)
  local start end
  start=$(date +%s%N)
  dotnet Cli/bin/Release/net10.0/qa-db.dll pool claim --pool "$1" --stack "$2" >/dev/null || true
  end=$(date +%s%N)
  echo $(( (end - start) / 1000000 ))
}

stats() { sort -n | awk '{a[NR]=$1} END {printf "median %d ms, worst %d ms over %d claims\n", (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2), a[NR], NR}'; }

for concurrency in 1 16; do
  times=$(mktemp)
  for run in $(seq "$runs"); do
    pool="bench-c${concurrency}-r${run}"
    seed "$pool"
    pids=()
    for i in $(seq "$concurrency"); do claim "$pool" "acme/qa-db/bench-$i" >>"$times" & pids+=($!); done
    wait "${pids[@]}" # not a bare wait: moto is a child too
  done
  printf '%2d concurrent claimer(s): ' "$concurrency"; stats <"$times"
  rm -f "$times"
done
