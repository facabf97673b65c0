#!/usr/bin/env bash
# Claim-to-published, with and without the per-command build, side by side in one run, against
# moto's SSM (Tests/moto/serve.py). A benchmark, not a test: run it by hand.
#   bash bench/claim-build.sh [RUNS]      (default 5)
#
# "Claim-to-published" is what a claiming stack's `pulumi up` waits for between starting the claim
# command and its database being published: the `claim` command, then the parameters that publish the
# member under the stack's own /qa/<stack>/db/ names (written here with one boto3 call; the smoke check,
# which wakes the paused member, is the same for both and is left out).
#
# The two claim commands, exactly as the program ran them:
#   before ab83c6c  flock LOCK dotnet build Cli/QaDatabases.Cli.csproj -c Release ... && dotnet Cli/bin/Release/net10.0/qa-db.dll pool claim ...
#   now             dotnet Cli/bin/Release/net10.0/qa-db.dll pool claim ...   (the CLI is built with the program)
# The old one is timed twice: "warm", where the build finds everything up to date (a second claim
# on the same runner), and "cold", where the CLI and the SSM library it needs were never built on
# this runner (Pulumi Deployments starts each deployment on a fresh checkout; the program's own build
# has built Core, which the CLI shares). Each run times the three in turn on a fresh pool.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
cli=Cli/bin/Release/net10.0/qa-db.dll
build() { dotnet build Cli/QaDatabases.Cli.csproj -c Release --nologo -v quiet "$@" >/dev/null; }
build
. bench/moto.sh

seed() { # a pool with one ready member, as the pool stack writes it
  python3 - "$1" <<'PY'
import json, sys, boto3, os
pool = sys.argv[1]
ssm = boto3.client("ssm", endpoint_url=os.environ["AWS_ENDPOINT_URL"], region_name=os.environ["AWS_REGION"])
ready = dict(clusterIdentifier=f"{pool}-m1", endpoint="e", readerEndpoint="r", port=5432, masterUserSecretArn="arn", masterUsername="postgres",
             clusterResourceId="cluster-1", databaseName="orders", engine="aurora-postgresql", securityGroupId="sg-1", sourceCluster="prod",
             generation=1, createdAt="2026-11-25T05:00:00Z", masking="policy masking/policy.yaml: gate passed", masked=True)
ssm.put_parameter(Name=f"/qa-db/pools/{pool}/members/1/ready", Value=json.dumps(ready), Type="String")
PY
}

publish() { # the claimer's own parameters, from the claim's output in file $2
  python3 - "$1" "$2" <<'PY'
import json, sys, boto3, os
stack = sys.argv[1]
claimed = json.loads([l for l in open(sys.argv[2]).read().splitlines() if l.startswith("{")][-1])["ready"]
ssm = boto3.client("ssm", endpoint_url=os.environ["AWS_ENDPOINT_URL"], region_name=os.environ["AWS_REGION"])
for leaf, value in [("endpoint", claimed["endpoint"]), ("reader-endpoint", claimed["readerEndpoint"]), ("host", claimed["endpoint"]),
                    ("reader-host", claimed["readerEndpoint"]), ("port", str(claimed["port"])), ("cluster-identifier", claimed["clusterIdentifier"]),
                    ("master-user-secret-arn", claimed["masterUserSecretArn"]), ("ready", claimed["clusterResourceId"])]:
    ssm.put_parameter(Name=f"/qa/{stack}/db/{leaf}", Value=value, Type="String", Overwrite=True)
PY
}

old_claim() { flock "${TMPDIR:-/tmp}/qa-db-cli-build.lock" dotnet build Cli/QaDatabases.Cli.csproj -c Release --nologo -v quiet 1>&2 && dotnet "$cli" pool claim --pool "$1" --stack "acme/qa-db/$2"; }
new_claim() { dotnet "$cli" pool claim --pool "$1" --stack "acme/qa-db/$2"; }

timed() { # label pool stack claim-function -> appends milliseconds to $label's file
  local start end
  start=$(date +%s%N)
  "$4" "$2" "$3" >"$times/claimed" 2>"$times/stderr" || { cat "$times/stderr" >&2; exit 1; }
  publish "$3" "$times/claimed"
  end=$(date +%s%N)
  echo $(( (end - start) / 1000000 )) >>"$times/$1"
}

stats() { sort -n "$1" | awk '{a[NR]=$1} END {printf "median %6d ms, worst %6d ms over %d claims", (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2), a[NR], NR}'; }

times=$(mktemp -d)
for run in $(seq "$runs"); do
  for variant in cold warm shipped; do
    pool="bench-$variant-$run"; seed "$pool"
    case $variant in
      cold) rm -rf Cli/obj Cli/bin Aws/obj Aws/bin; timed "$variant" "$pool" "pr-$run" old_claim ;;
      warm) timed "$variant" "$pool" "pr-$run" old_claim ;;
      shipped) timed "$variant" "$pool" "pr-$run" new_claim ;;
    esac
  done
done
build # leave the CLI as the program's build leaves it
printf 'claim-to-published, with the per-command build (before ab83c6c), cold runner: %s\n' "$(stats "$times/cold")"
printf 'claim-to-published, with the per-command build (before ab83c6c), warm runner: %s\n' "$(stats "$times/warm")"
printf 'claim-to-published, shipped CLI, no build (now):                            %s\n' "$(stats "$times/shipped")"
rm -rf "$times"
