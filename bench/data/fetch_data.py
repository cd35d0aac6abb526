#!/usr/bin/env python3
# Copyright 2026 The hatmatch Authors.
"""Fetch real tables from Debian packages and turn them into HAT rule files.

The benchmarks run on generated tables by default; this script gives them
real ones too.  It downloads four Debian packages with `apt-get download`
(no root needed), unpacks them with `dpkg -x` into a cache OUTSIDE the
repository, and writes rule files next to them:

  bgp4.hat     606k IPv4 BGP prefixes (python3-pyasn, RIB of 2015-11-01),
               one sender group per ASN bucket (ASN mod --bgp-groups)
  bgp6.hat     27.7k IPv6 BGP prefixes from the same dump, same grouping
  geoip4.hat   385k IPv4 ranges `a.b.c.d-w.x.y.z` (tor-geoipdb), one group
               per country
  geoip6.hat   277k IPv6 ranges from the same database, one group per country
  psl.hat      the public suffix list (publicsuffix) as partial hostnames,
               one group per first letter of the top-level label; non-ASCII
               suffixes are kept in UTF-8 (the parser turns them into
               A-labels), `*.x` becomes `.x`, exceptions `!x` are dropped
  postgrey.hat postgrey's whitelist_clients as one ACCEPT group: names
               become the name and every name below it (postgrey's
               meaning), addresses stay addresses, regexes are dropped

Cache: $HATMATCH_DATA, else ${XDG_CACHE_HOME:-$HOME/.cache}/hatmatch.
Layout: CACHE/debs/*.deb, CACHE/x/ (unpacked), CACHE/hat/*.hat,
CACHE/hat/MANIFEST (sources and counts).  Nothing is written into the
repository; the data keeps its own licences (see CACHE/x/usr/share/doc).

usage:
  bench/data/fetch_data.py                 # download, unpack, convert
  bench/data/fetch_data.py --extracted DIR # convert an already unpacked tree
  bench/data/fetch_data.py --print-dir     # where the .hat files go
"""

import argparse
import gzip
import ipaddress
import os
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

PACKAGES = ["python3-pyasn", "tor-geoipdb", "publicsuffix", "postgrey"]
PYASN_FILE = "usr/lib/python3/dist-packages/data/ipasn6_20151101.dat.gz"
GEOIP4_FILE = "usr/share/tor/geoip"
GEOIP6_FILE = "usr/share/tor/geoip6"
PSL_FILE = "usr/share/publicsuffix/public_suffix_list.dat"
POSTGREY_FILE = "usr/share/postgrey/whitelist_clients"

POLICIES = """\
$ACCEPTED
    ACCEPT
$BLOCKED
    REJECT
$THROTTLED
    ACCEPT {
        max_msgs_per_session = 10
        tls = "preferred"
    }
"""
# Groups take these in turn, so that neighbouring groups differ.
ROTATION = ["$ACCEPTED", "$BLOCKED", "$THROTTLED"]


def cache_dir():
    if os.environ.get("HATMATCH_DATA"):
        return Path(os.environ["HATMATCH_DATA"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(
        os.path.expanduser("~"), ".cache")
    return Path(base) / "hatmatch"


def fetch(cache):
    debs = cache / "debs"
    debs.mkdir(parents=True, exist_ok=True)
    missing = [p for p in PACKAGES if not list(debs.glob(p + "_*.deb"))]
    if missing:
        print("apt-get download " + " ".join(missing), file=sys.stderr)
        subprocess.run(["apt-get", "download", *missing], cwd=debs, check=True)
    x = cache / "x"
    x.mkdir(parents=True, exist_ok=True)
    for deb in sorted(debs.glob("*.deb")):
        subprocess.run(["dpkg", "-x", str(deb), str(x)], check=True)
    return x, sorted(d.name for d in debs.glob("*.deb"))


class HatWriter:
    """Writes groups of entries, one entry a line, with rotating policies."""

    def __init__(self, path, title):
        self.path = path
        self.tmp = path.with_suffix(".tmp")
        self.f = open(self.tmp, "w", encoding="utf-8")
        self.f.write("# %s\n# written by bench/data/fetch_data.py\n" % title)
        self.f.write(POLICIES)
        self.groups = 0
        self.entries = 0

    def group(self, name, entries, policy=None):
        if not entries:
            return
        policy = policy or ROTATION[self.groups % len(ROTATION)]
        self.f.write("\n%s:\n    %s\n" % (name, policy))
        for e in entries:
            self.f.write("    %s\n" % e)
        self.groups += 1
        self.entries += len(entries)

    def close(self):
        self.f.close()
        os.replace(self.tmp, self.path)
        return "%s: %d entries in %d groups" % (self.path.name, self.entries,
                                                self.groups)


def convert_bgp(src, out, buckets):
    v4, v6 = defaultdict(list), defaultdict(list)
    with gzip.open(src, "rt", encoding="ascii") as f:
        for line in f:
            if line.startswith(";") or not line.strip():
                continue
            prefix, asn = line.split()
            (v6 if ":" in prefix else v4)[int(asn) % buckets].append(prefix)
    notes = []
    for name, table, title in (("bgp4.hat", v4, "IPv4"),
                               ("bgp6.hat", v6, "IPv6")):
        w = HatWriter(out / name,
                      "%s BGP prefixes of %s, grouped by ASN mod %d" %
                      (title, Path(src).name, buckets))
        for b in sorted(table):
            w.group("AS_BUCKET_%04d" % b, table[b])
        notes.append(w.close())
    return notes


def country_group(cc):
    return "CC_" + cc if cc.isalnum() else "CC_UNKNOWN"


def convert_geoip(src4, src6, out):
    notes = []
    for name, src, v6 in (("geoip4.hat", src4, False),
                          ("geoip6.hat", src6, True)):
        groups = defaultdict(list)
        with open(src, encoding="ascii") as f:
            for line in f:
                if line.startswith("#") or not line.strip():
                    continue
                start, end, cc = line.strip().split(",")
                if v6:
                    lo = ipaddress.IPv6Address(start)
                    hi = ipaddress.IPv6Address(end)
                else:
                    lo = ipaddress.IPv4Address(int(start))
                    hi = ipaddress.IPv4Address(int(end))
                groups[country_group(cc)].append(
                    str(lo) if lo == hi else "%s-%s" % (lo, hi))
        w = HatWriter(out / name,
                      "tor-geoipdb %s ranges, one group per country" %
                      ("IPv6" if v6 else "IPv4"))
        for cc in sorted(groups):
            w.group(cc, groups[cc])
        notes.append(w.close())
    return notes


def convert_psl(src, out, ascii_only):
    groups = defaultdict(list)
    seen = set()
    with open(src, encoding="utf-8") as f:
        for line in f:
            s = line.strip().split()[0] if line.strip() else ""
            if not s or s.startswith("//") or s.startswith("!"):
                continue
            if s.startswith("*."):
                s = s[2:]
            if ascii_only and not s.isascii():
                continue
            if s in seen:
                continue
            seen.add(s)
            tld = s.rsplit(".", 1)[-1]
            key = tld[0].upper() if tld[0].isascii() and tld[0].isalpha() \
                else "OTHER"
            groups[key].append("." + s)
    w = HatWriter(out / "psl.hat",
                  "public suffix list as partial names, grouped by TLD letter")
    for key in sorted(groups):
        w.group("PSL_" + key, groups[key])
    return [w.close()]


def convert_postgrey(src, out):
    entries = []
    with open(src, encoding="utf-8", errors="replace") as f:
        for line in f:
            s = line.strip()
            if not s or s.startswith("#") or s.startswith("/"):
                continue  # blank, comment, regex
            if all(c.isdigit() or c == "." for c in s):
                entries.append(s)  # an address or a partial address
            else:
                entries.extend([s, "." + s])
    w = HatWriter(out / "postgrey.hat", "postgrey whitelist_clients")
    w.group("POSTGREY_WHITELIST", entries, "$ACCEPTED")
    return [w.close()]


def main():
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("\n\n", 1)[1])
    ap.add_argument("--cache", type=Path, default=None,
                    help="cache directory (default: %s)" % cache_dir())
    ap.add_argument("--extracted", type=Path, default=None,
                    help="use this unpacked tree instead of downloading")
    ap.add_argument("--bgp-groups", type=int, default=1000,
                    help="ASN buckets for bgp4/bgp6 (default 1000)")
    ap.add_argument("--ascii-only", action="store_true",
                    help="drop non-ASCII public suffixes")
    ap.add_argument("--print-dir", action="store_true",
                    help="print the directory of the .hat files and exit")
    args = ap.parse_args()
    cache = args.cache or cache_dir()
    out = cache / "hat"
    if args.print_dir:
        print(out)
        return 0
    if args.extracted:
        root, sources = args.extracted, ["unpacked tree %s" % args.extracted]
    else:
        root, sources = fetch(cache)
    out.mkdir(parents=True, exist_ok=True)
    notes = []
    notes += convert_bgp(root / PYASN_FILE, out, args.bgp_groups)
    notes += convert_geoip(root / GEOIP4_FILE, root / GEOIP6_FILE, out)
    notes += convert_psl(root / PSL_FILE, out, args.ascii_only)
    notes += convert_postgrey(root / POSTGREY_FILE, out)
    with open(out / "MANIFEST", "w", encoding="utf-8") as f:
        f.write("sources: %s\n" % ", ".join(sources))
        for n in notes:
            f.write(n + "\n")
    for n in notes:
        print(n)
    print("rule files in %s" % out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
