#!/usr/bin/env python3
"""Plots the CSV of `verbund-bench federation --csv FILE` as one PNG (four panels: memory, revocation spread,
crawl, negotiations, each against the number of members).

usage: scripts/plot-federation.py RESULTS.csv OUT.png

Needs matplotlib; when it is missing the script tries `python3 -m pip install --user matplotlib` once, and when that
is impossible (no network, no pip) it says so and exits 0 without a plot (the table in docs/performance.md stands
on its own).
"""
import csv
import subprocess
import sys


def load_matplotlib():
    try:
        import matplotlib
    except ImportError:
        print("plot-federation: matplotlib is missing; trying `pip install --user matplotlib`", file=sys.stderr)
        result = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--user", "matplotlib"],
                                capture_output=True, text=True, timeout=600)
        if result.returncode != 0:
            print("plot-federation: cannot install matplotlib (" + (result.stderr.strip().splitlines() or ["no reason"])[-1]
                  + "); skipping the plot", file=sys.stderr)
            return None
        import site
        import importlib
        sys.path.append(site.getusersitepackages())
        importlib.invalidate_caches()
        try:
            import matplotlib
        except ImportError:
            print("plot-federation: matplotlib installed but not importable; skipping the plot", file=sys.stderr)
            return None
    matplotlib.use("Agg")  # no display: write the file only
    import matplotlib.pyplot as plt
    return plt


def number(row, column):
    text = row.get(column, "")
    try:
        return float(text)
    except ValueError:
        return None


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[3], file=sys.stderr)
        return 2
    with open(argv[1], newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if number(row, "members")]
    if not rows:
        print(f"plot-federation: {argv[1]} has no rows", file=sys.stderr)
        return 1
    plt = load_matplotlib()
    if plt is None:
        return 0
    members = [number(row, "members") for row in rows]

    def series(column, scale=1.0):
        values = [number(row, column) for row in rows]
        return [m for m, v in zip(members, values) if v is not None], [v * scale for v in values if v is not None]

    figure, axes = plt.subplots(2, 2, figsize=(11, 8))
    memory, spread, crawl, negotiation = axes[0][0], axes[0][1], axes[1][0], axes[1][1]

    memory.plot(*series("rss_median_mib"), marker="o", label="RSS per member (median)")
    memory.plot(*series("anon_median_mib"), marker="o", label="anonymous memory per member (median)")
    pss = [(m, number(row, "pss_total_mib") / m) for m, row in zip(members, rows) if number(row, "pss_total_mib")]
    if pss:
        memory.plot([p[0] for p in pss], [p[1] for p in pss], marker="o", label="PSS per member (shared pages split)")
    memory.set_title("Memory of one idle member")
    memory.set_ylabel("MiB")

    spread.plot(*series("poll_all_s"), marker="o", label="file polling (every member)")
    spread.plot(*series("crawl_gossip_all_s"), marker="o", label="gossip carried by one crawl")
    spread.plot(*series("traffic_gossip_all_s"), marker="o", label="gossip over random-pair negotiations")
    spread.set_title("Revocation enforced by every member")
    spread.set_ylabel("seconds")

    crawl.plot(*series("crawl_s"), marker="o", label="one member crawls all others")
    crawl.set_title("Full federated crawl (D datasets per member)")
    crawl.set_ylabel("seconds")

    negotiation.plot(*series("negotiations_per_s"), marker="o", label="negotiations/s (random pairs)")
    latency = negotiation.twinx()
    latency.plot(*series("negotiation_p50_ms"), marker="s", color="tab:red", label="p50 latency (ms, right axis)")
    latency.set_ylabel("ms")
    negotiation.set_title("Negotiations to FINALIZED")
    negotiation.set_ylabel("per second")
    latency.legend(loc="lower right", fontsize=8)

    for axis in (memory, spread, crawl, negotiation):
        axis.set_xlabel("members")
        axis.set_xticks(members)
        axis.set_ylim(bottom=0)
        axis.grid(alpha=0.3)
        axis.legend(loc="upper left", fontsize=8)
    latency.set_ylim(bottom=0)
    figure.suptitle("Verbund: a federation of N cities on one 2-core machine (verbund-bench federation)")
    figure.tight_layout()
    figure.savefig(argv[2], dpi=110)
    print(f"plot-federation: wrote {argv[2]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
