#!/usr/bin/env python3
"""Write a corpus of realistic JSON files for the validator benchmark.

    gen_corpus.py DIR [--mb 200] [--seed 1]

Files of 10 KB to 5 MB (sizes log-uniform), mostly strings and numbers, in
the shapes data pipelines land in object stores:
  events-*.json    API/event records, minified         (35% of the bytes)
  pretty-*.json    the same records, indented by 2      (20%)
  deep-*.json      records nested 8 to 14 levels deep,  (10%)
                   indented by 4 (runs of 30 to 60 spaces)
  series-*.json    numeric time series and coordinates  (15%)
  articles-*.json  long text fields, some non-ASCII     (10%)
  events-*.jsonl   event records, one per line          (10%)
About 5% of the names and texts are non-ASCII (accents, CJK, emoji) and a
few strings carry escapes (quotes, newlines, \\u sequences), as real data
does. Deterministic for a given seed. Every file is valid JSON.
"""
import argparse
import json
import math
import os
import random

NAMES = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi",
         "ivan", "judy", "mallory", "niaj", "olivia", "peggy", "rupert",
         "sybil", "trent", "victor", "walter", "zoé", "jürgen", "søren",
         "renée", "田中", "李小龙", "Ольга"]
WORDS = ("lorem ipsum dolor sit amet consectetur adipiscing elit sed do "
         "eiusmod tempor incididunt ut labore et dolore magna aliqua enim "
         "ad minim veniam quis nostrud exercitation ullamco laboris nisi "
         "aliquip ex ea commodo consequat duis aute irure in reprehenderit "
         "voluptate velit esse cillum fugiat nulla pariatur").split()
NON_ASCII = ["café", "naïve", "Zürich", "東京", "😀", "façade", "Ünïcödé",
             "Москва"]
PATHS = ["/api/v1/users", "/api/v1/orders", "/api/v2/search", "/health",
         "/api/v1/items/{id}", "/login", "/static/app.js"]
AGENTS = ["Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36",
          "curl/7.88.1", "python-requests/2.28.1", "Go-http-client/1.1"]


def word_text(rng, n):
    words = [rng.choice(WORDS) for _ in range(n)]
    if rng.random() < 0.05:
        words[rng.randrange(n)] = rng.choice(NON_ASCII)
    text = " ".join(words)
    roll = rng.random()
    if roll < 0.02:
        text += ' "quoted"'
    elif roll < 0.03:
        text += "\nsecond line\ttabbed"
    return text


def uuid(rng):
    h = "%032x" % rng.getrandbits(128)
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def timestamp(rng):
    return "2024-%02d-%02dT%02d:%02d:%02d.%03dZ" % (
        rng.randint(1, 12), rng.randint(1, 28), rng.randint(0, 23),
        rng.randint(0, 59), rng.randint(0, 59), rng.randint(0, 999))


def event(rng, i):
    name = rng.choice(NAMES)
    return {
        "id": i,
        "uuid": uuid(rng),
        "ts": timestamp(rng),
        "user": {"name": name, "email": f"{name}{rng.randint(1, 999)}@example.com",
                 "age": rng.randint(18, 90), "premium": rng.random() < 0.2},
        "request": {"method": rng.choice(["GET", "POST", "PUT", "DELETE"]),
                    "path": rng.choice(PATHS), "status": rng.choice(
                        [200, 200, 200, 201, 204, 301, 400, 404, 500]),
                    "latency_ms": round(rng.lognormvariate(3, 1), 3),
                    "bytes": rng.randint(0, 2_000_000),
                    "agent": rng.choice(AGENTS)},
        "geo": {"lat": round(rng.uniform(-90, 90), 6),
                "lon": round(rng.uniform(-180, 180), 6)},
        "tags": [rng.choice(WORDS) for _ in range(rng.randint(0, 5))],
        "message": word_text(rng, rng.randint(3, 20)),
        "score": rng.random(),
        "parent": None if rng.random() < 0.7 else rng.randint(0, i + 1),
    }


def series(rng, target):
    points, t, v, size = [], 1_700_000_000, 100.0, 0
    while size < target:
        chunk = []
        for _ in range(500):
            t += rng.randint(1, 60)
            v += rng.gauss(0, 1)
            chunk.append([t, round(v, 4), round(rng.uniform(0, 1), 6)])
        points.extend(chunk)
        size += 500 * 38
    return {"metric": "cpu.load", "unit": "percent", "points": points,
            "bbox": [[round(rng.uniform(-180, 180), 7),
                      round(rng.uniform(-90, 90), 7)] for _ in range(200)]}


def article(rng, i):
    return {"id": i, "title": word_text(rng, 8), "author": rng.choice(NAMES),
            "published": timestamp(rng),
            "body": "\n\n".join(word_text(rng, rng.randint(40, 200))
                                for _ in range(rng.randint(2, 8))),
            "comments": [{"by": rng.choice(NAMES), "text": word_text(rng, 15)}
                         for _ in range(rng.randint(0, 6))],
            "views": rng.randint(0, 10**6), "rating": round(rng.random() * 5, 2)}


def deep_event(rng, i):
    """An event wrapped in the envelopes of a deployment manifest, so that
    its fields sit 8 to 14 levels deep."""
    item = event(rng, i)
    for key in rng.sample(["spec", "template", "metadata", "payload",
                           "status", "body", "record", "data"],
                          rng.randint(3, 8)):
        item = {key: item, "version": rng.randint(1, 9)}
    return item


def records(rng, maker, target):
    out, size, i = [], 0, 0
    while size < target:
        item = maker(rng, i)
        out.append(item)
        size += len(json.dumps(item, ensure_ascii=False))
        i += 1
    return out


def render(kind, rng, target):
    if kind == "events":
        return json.dumps(records(rng, event, target), ensure_ascii=False,
                          separators=(",", ":"))
    if kind == "pretty":
        return json.dumps(records(rng, event, target * 0.75),
                          ensure_ascii=False, indent=2)
    if kind == "deep":
        return json.dumps({"items": records(rng, deep_event, target * 0.5)},
                          ensure_ascii=False, indent=4)
    if kind == "series":
        return json.dumps(series(rng, target), separators=(",", ":"))
    if kind == "articles":
        return json.dumps(records(rng, article, target), ensure_ascii=False)
    return "\n".join(json.dumps(e, ensure_ascii=False)
                     for e in records(rng, event, target)) + "\n"


KINDS = [("events", ".json", 0.35), ("pretty", ".json", 0.20),
         ("deep", ".json", 0.10), ("series", ".json", 0.15),
         ("articles", ".json", 0.10),
         ("events", ".jsonl", 0.10)]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir")
    ap.add_argument("--mb", type=float, default=200)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    os.makedirs(args.dir, exist_ok=True)
    total, count = 0, 0
    for kind, suffix, share in KINDS:
        budget = args.mb * 1e6 * share
        written = 0
        while written < budget:
            target = math.exp(rng.uniform(math.log(10e3), math.log(5e6)))
            target = min(target, budget - written + 10e3)
            data = render(kind, rng, target).encode()
            name = f"{kind}-{count:04d}{suffix}"
            with open(os.path.join(args.dir, name), "wb") as f:
                f.write(data)
            written += len(data)
            count += 1
        total += written
    print(f"{count} files, {total / 1e6:.1f} MB in {args.dir}")


if __name__ == "__main__":
    main()
