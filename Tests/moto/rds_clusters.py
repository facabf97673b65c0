"""Test-only: makes tagged Aurora clusters in moto's RDS, then prints DescribeDBClusters as the AWS CLI would.

usage: python3 rds_clusters.py '[{"id": "qadb-pr-1", "tags": {"qa-db:created-by": "qa-databases", ...}}, ...]'

The endpoint and credentials come from the environment (AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, ...).
The output is what `aws rds describe-db-clusters --output json` prints: every page merged into one
DBClusters list (the CLI paginates), times in ISO 8601, no ResponseMetadata.
"""
import json
import os
import sys

import boto3

rds = boto3.client("rds", endpoint_url=os.environ["AWS_ENDPOINT_URL"], region_name=os.environ["AWS_REGION"])
for cluster in json.loads(sys.argv[1]):
    rds.create_db_cluster(
        DBClusterIdentifier=cluster["id"],
        Engine="aurora-postgresql",
        MasterUsername="postgres",
        ManageMasterUserPassword=True,
        Tags=[{"Key": key, "Value": value} for key, value in cluster["tags"].items()],
    )

result = rds.get_paginator("describe_db_clusters").paginate().build_full_result()
result.pop("ResponseMetadata", None)
print(json.dumps(result, indent=4, default=lambda value: value.isoformat()))
