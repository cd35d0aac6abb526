#!/usr/bin/env python3
# Copyright 2026 The hatmatch Authors.
"""bench/report on saved results: one run's ratios, and several runs
combined into the median of each target's per-run ratios.

Usage: bench_report_test.py SOURCE_DIR
"""

import json
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

SOURCE_DIR = Path(sys.argv.pop(1) if len(sys.argv) > 1 else ".").resolve()
REPORT = SOURCE_DIR / "bench" / "report"


def record(name, rate, **more):
    """One median aggregate as Google Benchmark writes it."""
    rec = {"name": name + "_median", "run_name": name, "run_type": "aggregate",
           "aggregate_name": "median", "items_per_second": rate}
    rec.update(more)
    return rec


def results_file(directory, name, benchmarks, loads=()):
    path = Path(directory) / name
    path.write_text(json.dumps({
        "context": {"date": "2026-12-03T00:00:00+00:00", "num_cpus": 2,
                    "hatmatch_cpu": "test CPU",
                    "hatmatch_load_averages": list(loads)},
        "benchmarks": benchmarks}))
    return path


def one_run(ours, fib, lpm, psl_batch, psl_single, threads):
    """A run with the ipv4_bgp pair, a host_psl pair whose best peer can be
    either mode of flat_hash_set, and a thread pair."""
    return [
        record("ipv4_bgp/hatmatch", ours, bytes=100, table_bytes=1000),
        record("ipv4_bgp/dpdk_fib_avx512", fib, bytes=2000, table_bytes=9000),
        record("ipv4_bgp/dpdk_lpm", lpm, bytes=4000, table_bytes=9000),
        record("host_psl/hatmatch", 30e6),
        record("host_psl/flat_hash_set", psl_batch),
        record("host_psl_single/flat_hash_set", psl_single),
        record("threads_ipv4_bgp/hatmatch/real_time/threads:1", 100e6,
               threads=1, items_per_cpu_second=100e6),
        record("threads_ipv4_bgp/hatmatch/real_time/threads:2", threads,
               threads=2, items_per_cpu_second=threads / 2),
    ]


def run_report(*args):
    return subprocess.run([sys.executable, str(REPORT), *map(str, args)],
                          capture_output=True, text=True)


def target_line(output, label):
    lines = [x for x in output.splitlines() if x.strip().startswith(label)]
    if len(lines) != 1:
        raise AssertionError("no single line for %r in:\n%s" % (label, output))
    return lines[0]


class ReportTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.dir.cleanup)

    def runs(self):
        return [
            results_file(self.dir.name, "a.json",
                         one_run(600e6, 500e6, 400e6, 15e6, 14e6, 190e6),
                         ["ipv4_bgp: before load average 1.00"]),
            results_file(self.dir.name, "b.json",
                         one_run(700e6, 500e6, 600e6, 10e6, 16e6, 210e6),
                         ["ipv4_bgp: before load average 2.00"]),
            results_file(self.dir.name, "c.json",
                         one_run(500e6, 500e6, 300e6, 12e6, 11e6, 170e6),
                         ["ipv4_bgp: before load average 3.00"]),
        ]

    def test_one_run_gives_its_ratio_against_the_fastest_peer(self):
        out = run_report("--targets", "--from", self.runs()[0])
        self.assertEqual(out.returncode, 0, out.stderr)
        line = target_line(out.stdout, "ipv4_bgp vs dpdk_fib_avx512")
        self.assertIn("1.200x  (target >= 1.5x: MISSED)", line)
        self.assertNotIn("runs", line)
        # Memory against the smallest DPDK structure: 100 / 2000.
        self.assertIn("= 0.05 (target <= 0.1: met)", line)
        self.assertIn("load average 1.00", out.stdout)

    def test_runs_are_judged_by_the_median_of_their_ratios(self):
        out = run_report("--targets", "--from", *self.runs())
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("medians of the 3 runs' ratios", out.stdout)
        # 600/500, 700/600 (lpm faster in that run), 500/500.
        line = target_line(out.stdout, "ipv4_bgp vs ")
        self.assertIn("ipv4_bgp vs dpdk_fib_avx512 | dpdk_lpm", line)
        self.assertIn("1.167x  (target >= 1.5x: MISSED)", line)
        self.assertIn("runs 1.200 / 1.167 / 1.000, met in 0 of 3", line)
        # The best flat_hash_set mode differs per run: 30/15, 30/16, 30/12.
        line = target_line(out.stdout, "host_psl vs flat_hash_set")
        self.assertIn("2.000x  (target >= 2x: met)", line)
        self.assertIn("runs 2.000 / 1.875 / 2.500, met in 2 of 3", line)
        line = target_line(out.stdout, "ipv4_bgp: 2 threads")
        self.assertIn("1.900x  (target >= 1.9x: met)", line)
        self.assertIn("met in 2 of 3", line)
        for k in (1, 2, 3):
            self.assertIn("run %d, ipv4_bgp: before load average %d.00"
                          % (k, k), out.stdout)

    def test_the_table_shows_each_implementations_median_run(self):
        out = run_report("--targets", "--from", *self.runs())
        self.assertEqual(out.returncode, 0, out.stderr)
        rows = [x for x in out.stdout.splitlines()
                if x.startswith("| ipv4_bgp | hatmatch |")]
        self.assertEqual(len(rows), 1, out.stdout)
        self.assertIn("| 600M |", rows[0])
        self.assertTrue((Path(self.dir.name) / "a.md").is_file())

    def test_bad_arguments_are_refused(self):
        out = run_report("--quick", "--runs", "2", "--from", self.runs()[0])
        self.assertNotEqual(out.returncode, 0)
        self.assertIn("--runs", out.stderr)
        out = run_report("--targets", "--from",
                         Path(self.dir.name) / "missing.json")
        self.assertNotEqual(out.returncode, 0)
        self.assertIn("no such results file", out.stderr)


if __name__ == "__main__":
    unittest.main()
