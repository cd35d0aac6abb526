#!/usr/bin/env python3
"""Writes a HAT rule file as postfwd rules with the same first-match meaning.

    hat_to_postfwd.py RULES > postfwd.cf

Each sender group becomes one postfwd rule whose client_address item lists the
group's entries (postfwd ORs the values of one item), in file order, with the
action `hatmatch serve` answers by default (docs/SERVE.md); ALL becomes a
final catch-all rule.  Only what the benchmark generates is supported:
IPv4/IPv6 CIDR and address entries, named or inline actions, ALL.  CONTINUE
groups never decide and are left out.  A group whose policy says
tls = "required" gets the STARTTLS answer first when encryption_protocol is
empty, as hatmatch serve does at RCPT.
"""
import re
import sys

ACTIONS = {
    "ACCEPT": "DUNNO",
    "RELAY": "OK",
    "REJECT": "REJECT 5.7.1 Access denied by sender group {group}",
    "TCPREFUSE": "421 4.7.0 Connection refused by sender group {group}",
}
STARTTLS = "530 5.7.0 Must issue a STARTTLS command first"


def parse(path):
    policies, groups = {}, []
    current_policy = current_group = None
    for raw in open(path):
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        word = line.strip()
        if not raw[0].isspace():
            current_policy = current_group = None
            if word.startswith("$"):
                current_policy = word[1:]
                policies[current_policy] = {"action": None, "tls": False}
            elif word == "ALL" or word.startswith("ALL "):
                groups.append({"name": "ALL", "action": None, "entries": [],
                               "all": True})
                current_group = groups[-1]
                rest = word[3:].strip()
                if rest:
                    current_group["action"] = rest.split()[0]
            elif word.endswith(":"):
                groups.append({"name": word[:-1], "action": None,
                               "entries": [], "all": False})
                current_group = groups[-1]
            else:
                sys.exit(f"unsupported line: {raw!r}")
            continue
        if current_policy is not None:
            p = policies[current_policy]
            if p["action"] is None:
                p["action"] = word.split()[0]
            elif re.match(r'tls\s*=\s*"?required"?', word):
                p["tls"] = True
        elif current_group is not None:
            if current_group["action"] is None:
                current_group["action"] = word.split()[0]
            else:
                current_group["entries"] += [e.strip() for e in word.split(",")]
    return policies, groups


def main():
    policies, groups = parse(sys.argv[1])
    for g in groups:
        action, tls = g["action"], False
        if action.startswith("$"):
            p = policies[action[1:]]
            action, tls = p["action"], p["tls"]
        if action == "CONTINUE":
            continue
        text = ACTIONS[action].format(group=g["name"])
        match = "" if g["all"] else "client_address=" + ", ".join(g["entries"]) + "; "
        if tls and action in ("ACCEPT", "RELAY"):
            print(f"id={g['name']}_tls; {match}encryption_protocol=!!(.); action={STARTTLS}")
        print(f"id={g['name']}; {match}action={text}")


main()
