#!/usr/bin/env python3
"""Latency and throughput of one HTTP/1.1 route over a kept-alive connection (scripts/bench-api-proxy.sh).

Usage: bench-api-latency.py URL [--header NAME:VALUE]... [--requests N] [--bytes]
Prints one JSON object: p50/p99/mean milliseconds of N sequential GETs (after 20 warm-up requests), or, with --bytes,
the MiB/s of reading the whole body once in 1 MiB pieces (the body is discarded).
"""
import http.client, json, sys, time, urllib.parse

def main():
    args = sys.argv[1:]
    url, headers, requests, throughput = None, {}, 500, False
    while args:
        a = args.pop(0)
        if a == "--header":
            name, value = args.pop(0).split(":", 1)
            headers[name.strip()] = value.strip()
        elif a == "--requests":
            requests = int(args.pop(0))
        elif a == "--bytes":
            throughput = True
        else:
            url = a
    parts = urllib.parse.urlsplit(url)
    target = parts.path + ("?" + parts.query if parts.query else "")
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=300)

    def get():
        connection.request("GET", target, headers=headers)
        response = connection.getresponse()
        total = 0
        while True:
            piece = response.read(1 << 20)
            if not piece:
                break
            total += len(piece)
        if response.status != 200:
            raise SystemExit(f"{url}: HTTP {response.status}")
        return total

    if throughput:
        began = time.perf_counter()
        total = get()
        seconds = time.perf_counter() - began
        print(json.dumps({"bytes": total, "seconds": round(seconds, 3), "mib_per_s": round(total / 1048576 / seconds, 1)}))
        return
    for _ in range(20):
        get()
    samples = []
    for _ in range(requests):
        began = time.perf_counter()
        get()
        samples.append((time.perf_counter() - began) * 1000)
    samples.sort()
    print(json.dumps({"requests": requests, "p50_ms": round(samples[len(samples) // 2], 3),
                      "p99_ms": round(samples[int(len(samples) * 0.99) - 1], 3),
                      "mean_ms": round(sum(samples) / len(samples), 3)}))

main()
