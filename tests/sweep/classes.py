#!/usr/bin/env python3
"""Group the violation lines of a truth_sweep.sh run into classes.

    tests/sweep/truth_sweep.sh | tee sweep.log
    tests/sweep/classes.py < sweep.log

A class is (model, fault, properties broken, exit code, result, changed,
flash changed, mode, revision, journal, what recovery did); each is
printed with its case count and its command indexes as ranges.
"""
import collections
import re
import sys

LINE = re.compile(
    r"# (\S+) (\S+(?: --no-backup)?) i=(\S+): (\S+); exit (\d+), result "
    r"(\S+), changed (\S+), flash changed (\S+), mode (\S+), revision "
    r"(\S+), fault fired (\S+), journal (\[.*?\]), (.*?); said: (.*)$")


def ranges(xs):
    xs = sorted(xs)
    out = []
    for x in xs:
        if out and x == out[-1][1] + 1:
            out[-1][1] = x
        else:
            out.append([x, x])
    return " ".join("%d" % a if a == b else "%d-%d" % (a, b) for a, b in out)


def main():
    groups = collections.OrderedDict()
    for line in sys.stdin:
        m = LINE.match(line.rstrip("\n"))
        if not m:
            continue
        after = re.sub(r"exit \d+ -> ", "exit * -> ", m[13])
        key = (m[1], m[2], m[4], m[5], m[6], m[7], m[8], m[9], m[10],
               m[12], after)
        g = groups.setdefault(key, dict(idx=[], said=m[14]))
        if m[3] != "-":
            g["idx"].append(int(m[3]))
        else:
            g["idx"].append(0)
    for k, g in groups.items():
        print("%s %s [%s] exit %s result %s changed %s | truth: flash "
              "changed %s, mode %s, rev %s | journal %s | %s | %d cases, "
              "i=%s\n    said: %s" % (k + (len(g["idx"]), ranges(g["idx"]),
                                          g["said"][:160])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
