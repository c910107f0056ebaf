"""Writes N small JSON objects (about 300 bytes each, keys spread over 20
first-level prefixes and 30 dates) into DIR, for `aws s3 sync`."""
import json
import os
import sys

directory, count = sys.argv[1], int(sys.argv[2])
for i in range(count):
    key = (f"source={i % 20:02d}/date=2024-01-{i % 30 + 1:02d}/"
           f"event-{i:06d}.json")
    path = os.path.join(directory, key)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    doc = {"id": i, "source": i % 20, "kind": "measurement",
           "values": [i % 7, i % 11, i % 13], "note": "x" * 200}
    with open(path, "w") as f:
        json.dump(doc, f)
