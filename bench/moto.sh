# Sourced by the benchmarks: starts moto's server on a free loopback port (Tests/moto/serve.py, one
# request at a time, as atomic as AWS's conditional writes), points the AWS SDKs at it through their
# own environment variables, and stops it when the benchmark exits.
moto_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 Tests/moto/serve.py "$moto_port" >/dev/null 2>&1 &
moto_pid=$!
trap 'kill "$moto_pid" 2>/dev/null || true' EXIT
export AWS_ENDPOINT_URL="http://127.0.0.1:$moto_port" AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench AWS_REGION=eu-west-1 AWS_EC2_METADATA_DISABLED=true
until curl -sf "$AWS_ENDPOINT_URL/moto-api/" >/dev/null; do sleep 0.1; done
