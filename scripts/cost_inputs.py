#!/usr/bin/env python3
# Adversarial inputs for the cost audit (docs/FUZZING.md, "Cost on crafted
# inputs"): rule files of a given shape and size on stdout.
#   scripts/cost_inputs.py KIND N > rules.hat
# KIND names the shape (see the branches below); N the number of entries,
# rules or bytes it is built from.
import sys, random
kind, n = sys.argv[1], int(sys.argv[2])
w = sys.stdout.write
r = random.Random(1)
def ip(i): return f"{(i>>24)&255 or 1}.{(i>>16)&255}.{(i>>8)&255}.{i&255}"
def ip_exact(i): return f"{(i>>24)&255}.{(i>>16)&255}.{(i>>8)&255}.{i&255}"
def sbrs_range():
    """A random score range, as `sbrs[lo:hi]`."""
    a = r.randint(-100,100)/10; b = r.randint(-100,100)/10
    return f"sbrs[{min(a,b)}:{max(a,b)}]"
if kind == "longline":  # one group, one line with n comma-separated entries
    w("G:\n    ACCEPT\n    " + ", ".join(ip(i+(10<<24)) for i in range(n)) + "\n")
elif kind == "dupentries":  # n identical entries in one group
    w("G:\n    ACCEPT\n" + "    10.0.0.0/8\n"*n)
elif kind == "dupline":
    w("G:\n    ACCEPT\n    " + ", ".join(["10.0.0.0/8"]*n) + "\n")
elif kind == "nested4":  # nested prefixes at every length, n rules
    for i in range(n):
        base = (10<<24) | (r.getrandbits(24))
        for L in range(8,33):
            m = ((1<<32)-1) ^ ((1<<(32-L))-1)
            a = base & m
            w(f"{ip(a)}/{L}\n    ACCEPT\n")
elif kind == "nestedrules":  # n rules, each a /8.. same prefix repeated per rule
    for i in range(n):
        w(f"R{i}:\n    ACCEPT\n    10.0.0.0/8\n")
elif kind == "anonsame":  # n anonymous rules with same name
    for i in range(n):
        w("10.0.0.1\n    ACCEPT\n")
elif kind == "policies":
    for i in range(n):
        w(f"$P{i}\n    ACCEPT {{\n        k{i} = \"{'x'*10}\"\n    }}\n")
    w("ALL\n    $P0\n")
elif kind == "params":  # one policy with n params
    w("$P\n    ACCEPT {\n")
    for i in range(n): w(f"        k{i} = {i}\n")
    w("    }\nALL\n    $P\n")
elif kind == "bigstring":
    w("$P\n    ACCEPT {\n        k = \"" + "x"*n + "\"\n    }\nALL\n    $P\n")
elif kind == "dnslists":
    w("G:\n    ACCEPT\n")
    for i in range(n): w(f"    dnslist[z{i}.example]\n")
elif kind == "sbrs":
    w("")
    for i in range(n):
        w(f"{sbrs_range()}\n    ACCEPT\n")
elif kind == "sbo":
    for i in range(n): w(f"SBO:{i}\n    ACCEPT\n")
elif kind == "deephost":  # hostnames with 127 labels, n of them
    for i in range(n):
        w("." + ".".join(["a"]*124) + f".x{i%1000}.com\n    ACCEPT\n")
elif kind == "chainhost":  # chained partials .a, .a.a, .a.a.a ... up to n (cap at 126)
    for i in range(n):
        d = i % 120 + 1
        w("." + ".".join(["a"]*d) + f".t{i//120}\n    ACCEPT\n")
elif kind == "hosts":
    for i in range(n): w(f".h{i}.example.com\n    ACCEPT\n")
elif kind == "v6":
    for i in range(n):
        w(f"2001:db8:{i>>16:x}:{i&0xffff:x}::/64\n    ACCEPT\n")
elif kind == "v6nested":
    for i in range(n):
        L = 16 + (i % 113)
        x = r.getrandbits(128) | (0x2001 << 112)
        x &= ((1<<128)-1) ^ ((1<<(128-L))-1)
        h = f"{x:032x}"
        w(":".join(h[j:j+4] for j in range(0,32,4)) + f"/{L}\n    ACCEPT\n")
elif kind == "ranges":  # overlapping full ranges
    for i in range(n):
        a = r.getrandbits(32); b = r.getrandbits(32)
        if a > b: a,b = b,a
        w(f"{ip_exact(a)}-{ip_exact(b)}\n    ACCEPT\n")
elif kind == "ranges_cont":  # overlapping ranges under CONTINUE policies (all must be tracked)
    for i in range(n):
        a = r.getrandbits(32); b = r.getrandbits(32)
        if a > b: a,b = b,a
        w(f"{ip_exact(a)}-{ip_exact(b)}\n    CONTINUE\n")
    w("ALL\n    ACCEPT\n")
elif kind == "randip":
    for i in range(n): w(f"{ip(r.getrandbits(32))}\n    ACCEPT\n")
elif kind == "randip_cont":
    for i in range(n): w(f"{ip(r.getrandbits(32))}/{r.randint(8,32)}\n    CONTINUE\n")
elif kind == "errors":
    for i in range(n): w("G:\n")
elif kind == "longcomment":
    w("# " + "x"*n + "\n")
elif kind == "anonlong":  # anonymous rule with a huge name
    w(", ".join(ip(i+(10<<24)) for i in range(n)) + "\n    ACCEPT\n")
elif kind == "onerule_nested":  # one rule, n nested/overlapping prefixes
    w("G:\n    ACCEPT\n")
    for i in range(n):
        L = 8 + i % 25
        a = ((10<<24) | r.getrandbits(24)) & (((1<<32)-1) ^ ((1<<(32-L))-1))
        w(f"    {ip(a)}/{L}\n")
elif kind == "onerule_ranges":
    w("G:\n    ACCEPT\n")
    for i in range(n):
        a = r.getrandbits(31)+1; b = a + r.getrandbits(30)
        w(f"    {ip_exact(a)}-{ip_exact(b)}\n")
elif kind == "onerule_sbrs":
    w("G:\n    ACCEPT\n")
    for i in range(n):
        w(f"    {sbrs_range()}\n")
elif kind == "onerule_hosts":  # partial chain in one rule
    w("G:\n    ACCEPT\n")
    for i in range(n):
        d = i % 120 + 1
        w("    ." + ".".join(["a"]*d) + f".t{i//120}\n")
elif kind == "onerule_hosts2":  # many exact names under one partial, same rule
    w("G:\n    ACCEPT\n    .example.com\n")
    for i in range(n): w(f"    h{i}.example.com\n")
elif kind == "shadowmany":  # n rules each a sub-prefix shadowed by many
    for i in range(n):
        w(f"R{i}:\n    ACCEPT\n    10.0.0.0/8, 10.{i%256}.0.0/16\n")
elif kind == "bare":  # partials with no bare domain
    for i in range(n): w(f".a{i}.example.com\n    ACCEPT\n")
elif kind == "dup_host":
    for i in range(n): w(f"R{i}:\n    ACCEPT\n    .example.com, example.com\n")
elif kind == "unusedpol":
    for i in range(n): w(f"$P{i}\n    ACCEPT\n")
    w("ALL\n    ACCEPT\n")
elif kind == "dupnames":
    for i in range(n): w("G:\n    ACCEPT\n    10.0.0.1\n")
elif kind == "undefpol":
    for i in range(n): w(f"G{i}:\n    $NOPE{i}\n    10.0.0.1\n")
elif kind == "manylines_err":
    for i in range(n): w("10.0.0.256\n    ACCEPT\n")
elif kind == "blanklines":
    w("\n" * n + "ALL\n    ACCEPT\n")
elif kind == "commentlines":
    w("# c\n" * n + "ALL\n    ACCEPT\n")
elif kind == "policyblock_open":
    w("$P\n    ACCEPT {\n" + "        k = 1\n" * n)
elif kind == "idna":
    for i in range(n): w(f".caf\u00e9{i}.example\n    ACCEPT\n")
elif kind == "unioncover":  # n tiny rules tile a block; n later rules each covered by the union of all
    # n /32 tiles starting at 10.0.0.0 ; block size power of two >= n
    b = 1
    while (1<<b) < n: b += 1
    for i in range(1<<b): w(f"T{i}:\n    ACCEPT\n    {ip((10<<24)+i)}\n")
    for i in range(n): w(f"C{i}:\n    REJECT\n    {ip(10<<24)}/{32-b}\n")
elif kind == "sbrsunion":
    for i in range(n):
        a = -10 + 20*i/n; bb = -10 + 20*(i+1)/n
        w(f"T{i}:\n    ACCEPT\n    sbrs[{a:.6f}:{bb:.6f}]\n")
    for i in range(n): w(f"C{i}:\n    REJECT\n    sbrs[-10:10]\n")
else:
    sys.exit("unknown " + kind)
