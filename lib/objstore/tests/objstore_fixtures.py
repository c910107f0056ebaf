#!/usr/bin/env python3
"""Fixtures for the object-store checkers: one set of objects, written to
a local directory or uploaded to an S3-compatible server, so that the
same checks on both give the same figures.

    objstore_fixtures.py local DIR      write DIR/<key> for every object
    objstore_fixtures.py s3 ENDPOINT BUCKET   (keys S3RVER/S3RVER)

Keys are relative to a prefix ("data/" in the tests). Awkward keys on
purpose: a space, '+', '&', non-ASCII, XML specials, a dot in a prefix.
Page-size tests on s3rver must avoid neighbours such as 'a/b' beside
'a-b' (s3rver can skip them with very small pages): these keys have none.

The expected figures are worked out by hand in EXPECTED below (and in
the tests), not computed from this list.
"""
import datetime
import os
import sys

HOUR = 3600


def day(offset, today=None):
    """The UTC date `offset` days from today, as YYYY-MM-DD."""
    today = today or datetime.datetime.now(datetime.timezone.utc).date()
    return (today + datetime.timedelta(days=offset)).isoformat()


def objects(today=None):
    """[(key, body, age_hours)] - age only matters on a local directory,
    where the file's mtime is set to now - age (negative: future)."""
    objs = [
        ("README.txt", b"sample data\n", 30),                          # 12
        ("season=2023/matches.json",
         b'{"season": 2023, "matches": [1, 2, 3]}\n', 48),              # 39
        ("season=2023/teams.jsonl", b'{"team": "a"}\n{"team": "b"}\n', 47),  # 28
        ("season=2024/matches.json", b'{"season": 2024, "matches": []}\n',
         2),                                                            # 32
        ("season=2024/empty.json", b"", 3),                             # 0
        ("season=2024/bad-trailing-comma.json", b'{"a": 1,}\n', 4),    # 10
        ("season=2024/bad-leading-zero.json", b'{"a": 01}\n', 5),      # 10
        ("v1.2/part.json", b"[]\n", 6),                                 # 3
        ("odd keys/x y+z&w.json", b'{"k": "x y+z&w"}\n', 7),            # 17
        ("odd keys/\u00e9t\u00e9.json",
         '{"k": "\u00e9t\u00e9"}\n'.encode(), 8),                       # 15
        ("odd keys/<a>&amp;'\".json", b"{}\n", 9),                      # 3
    ]
    # Daily partitions: yesterday and the days before, one day missing.
    for offset in (-1, -2, -3, -5):
        objs.append((f"events/date={day(offset, today)}/part-0.json",
                     b'{"n": 1}\n', -offset * 24 - 20))                 # 9 each
    return objs


# Worked out by hand from the bodies above (sizes in the comments).
EXPECTED = {
    "objects": 15,
    "bytes": 12 + 39 + 28 + 32 + 0 + 10 + 10 + 3 + 17 + 15 + 3 + 4 * 9,
    "zero_byte_objects": 1,
    "by_prefix": {  # metric segment: (objects, bytes)
        "season=2023": (2, 67),
        "season=2024": (4, 52),
        "v1%2E2": (1, 3),
        "odd%20keys": (3, 35),
        "events": (4, 36),
    },
    "top_level": (1, 12),
}


def write_local(root, now=None):
    now = now if now is not None else datetime.datetime.now().timestamp()
    for key, body, age_hours in objects():
        path = os.path.join(root, *key.split("/"))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(body)
        t = now - age_hours * HOUR
        os.utime(path, (t, t))


def s3_client(endpoint, access="S3RVER", secret="S3RVER"):
    import botocore.session
    from botocore.config import Config
    session = botocore.session.get_session()
    return session.create_client(
        "s3", endpoint_url=endpoint, aws_access_key_id=access,
        aws_secret_access_key=secret, region_name="us-east-1",
        config=Config(s3={"addressing_style": "path"}))


def upload_s3(endpoint, bucket, prefix="data/", extra=()):
    """Creates bucket (if needed) and puts every object under prefix."""
    client = s3_client(endpoint)
    try:
        client.create_bucket(Bucket=bucket)
    except client.exceptions.BucketAlreadyOwnedByYou:
        pass
    for key, body, _ in list(objects()) + list(extra):
        client.put_object(Bucket=bucket, Key=prefix + key, Body=body)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "local":
        write_local(sys.argv[2])
    elif len(sys.argv) == 4 and sys.argv[1] == "s3":
        upload_s3(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
