#!/usr/bin/env python3
"""Writes an S3 Inventory of N objects in AWS's CSV format for the
inventory benchmark: DIR/inv/manifest.json and DIR/inv/data/part-K.csv.gz
(at most 1,000,000 rows each), rows as AWS writes them (all fields
quoted, keys URL-encoded), for source bucket SOURCE.

    make_inventory.py DIR N SOURCE
"""
import csv
import gzip
import io
import json
import os
import sys
import time

directory, count, source = sys.argv[1], int(sys.argv[2]), sys.argv[3]
os.makedirs(os.path.join(directory, "inv", "data"), exist_ok=True)
files, per_file = [], 1_000_000
for part, first in enumerate(range(0, count, per_file)):
    text = io.StringIO()
    out = csv.writer(text, quoting=csv.QUOTE_ALL, lineterminator="\n")
    for i in range(first, min(count, first + per_file)):
        out.writerow([source, f"data%2Fp{i % 20:02d}%2Fevent-{i:09d}.json",
                      str(280 + i % 40), "2024-01-02T03:04:05.000Z",
                      "0123456789abcdef0123456789abcdef", "STANDARD"])
    key = f"inv/data/part-{part}.csv.gz"
    with open(os.path.join(directory, key), "wb") as f:
        f.write(gzip.compress(text.getvalue().encode(), 6))
    files.append({"key": key, "size": 0, "MD5checksum": ""})
with open(os.path.join(directory, "inv", "manifest.json"), "w") as f:
    json.dump({"sourceBucket": source, "destinationBucket": "arn:aws:s3:::x",
               "version": "2016-11-30",
               "creationTimestamp": str(int(time.time() * 1000)),
               "fileFormat": "CSV",
               "fileSchema": "Bucket, Key, Size, LastModifiedDate, ETag, "
                             "StorageClass",
               "files": files}, f)
