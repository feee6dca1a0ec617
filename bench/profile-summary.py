#!/usr/bin/env python3
"""Summarise a JFR recording of the edge (bench/profile-request.sh): the methods the event loop
spends its CPU samples in (top frame, and inclusive for frames under dev.portico / io.vertx /
io.netty), and where allocation samples were taken (top frame's method and class allocated).
  bench/profile-summary.py run.jfr [lines]"""
import collections
import json
import subprocess
import sys

jfr = sys.argv[1]
lines = int(sys.argv[2]) if len(sys.argv) > 2 else 25


def events(kind):
    out = subprocess.run(["jfr", "print", "--json", "--stack-depth", "64", "--events", kind, jfr],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)["recording"]["events"]


def name(frame):
    m = frame["method"]
    return "%s.%s" % (m["type"]["name"], m["name"])


def table(title, counter, total):
    print("\n%s (of %d)" % (title, total))
    for key, n in counter.most_common(lines):
        print("%6.1f%%  %s" % (100.0 * n / total, key))


samples = [e for e in events("jdk.ExecutionSample")
           if "eventloop" in (e["values"]["sampledThread"]["javaName"] or "")]
top, inclusive = collections.Counter(), collections.Counter()
for e in samples:
    frames = e["values"]["stackTrace"]["frames"]
    top[name(frames[0])] += 1
    seen = set()
    for f in frames:
        n = name(f)
        if n not in seen and n.startswith(("dev.portico", "io.vertx", "io.netty.handler", "io.netty.channel.nio")):
            seen.add(n)
            inclusive[n] += 1
table("event-loop CPU samples, top frame", top, len(samples))
table("event-loop CPU samples, inclusive", inclusive, len(samples))

alloc_site, alloc_class = collections.Counter(), collections.Counter()
weight = 0
for e in events("jdk.ObjectAllocationSample"):
    v = e["values"]
    w = v["weight"]
    weight += w
    alloc_class[v["objectClass"]["name"]] += w
    frames = v["stackTrace"]["frames"] if v["stackTrace"] else []
    caller = next((name(f) for f in frames if name(f).startswith("dev.portico")), name(frames[0]) if frames else "?")
    alloc_site[caller] += w
table("allocation (sampled weight), first dev.portico frame", alloc_site, weight)
table("allocation (sampled weight), class", alloc_class, weight)
