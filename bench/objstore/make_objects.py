"""Writes N small JSON objects (about 300 bytes each, keys spread over 20
first-level prefixes and 30 dates) into DIR, for `aws s3 sync`.
With a third argument "flat", keys are pNN/event-NNNNNN.json: 20 prefixes
holding their objects directly (s3rver 3.7's delimiter listing omits a
prefix that holds only deeper keys; see docs/objstore.md)."""
import json
import os
import sys

directory, count = sys.argv[1], int(sys.argv[2])
flat = len(sys.argv) > 3 and sys.argv[3] == "flat"
for i in range(count):
    key = (f"p{i % 20:02d}/event-{i:06d}.json" if flat else
           f"source={i % 20:02d}/date=2024-01-{i % 30 + 1:02d}/"
           f"event-{i:06d}.json")
    path = os.path.join(directory, key)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    doc = {"id": i, "source": i % 20, "kind": "measurement",
           "values": [i % 7, i % 11, i % 13], "note": "x" * 200}
    with open(path, "w") as f:
        json.dump(doc, f)
