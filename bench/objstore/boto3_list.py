"""Lists a prefix with a boto3 paginator; prints objects and bytes."""
import sys

import boto3
from botocore.config import Config

endpoint, bucket, prefix = sys.argv[1:4]
s3 = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id="S3RVER",
                  aws_secret_access_key="S3RVER", region_name="us-east-1",
                  config=Config(s3={"addressing_style": "path"}))
objects = size = 0
for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket,
                                                          Prefix=prefix):
    for o in page.get("Contents", []):
        objects += 1
        size += o["Size"]
print(f"objects={objects} bytes={size}")
