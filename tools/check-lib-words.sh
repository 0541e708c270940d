#!/bin/bash
# tools/check-lib-words.sh [ROOT]: the library reports reasons and facts;
# only cli/ words advice with the command line's own words.
#
# Scans the C string literals (comments and character constants skipped,
# adjacent literals joined) of every .c and .h file under ROOT/lib and
# fails on one that holds a CLI flag ("--eject", "--chunk 4096", " -o ")
# or an odflash command line ("odflash recover", "odflash scan", ...):
# those words belong in cli/common/words.c, behind an enum odf_reason.
# A literal on a line marked "lib-words: allow" is counted and named, not
# refused (a known exception, said in the summary).  The library fills no
# hint either: a write to a diag's hint (d->hint,
# odf_diag_hint) in lib/ is refused too.  Prints one line per finding on
# stderr ("lib/x.c:12: CLI words in a string: ..."), and at the end
# "lib-words: N literals checked, M bad"; exit 1 when M > 0.
set -eu -o pipefail

ROOT=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$ROOT"
[ -d lib ] || { echo "check-lib-words: no lib/ in $ROOT" >&2; exit 1; }

find lib -name '*.[ch]' | LC_ALL=C sort | python3 -c '
import re, sys

VERBS = "scan|info|identify|flash|recover|dump|verify|history"
BAD = re.compile(r"(?:^|[^A-Za-z0-9_-])--[a-z][a-z0-9-]*"
                 r"|(?:^|[\s(`])-[A-Za-z](?=$|[\s,.;:)`])"
                 r"|\bodflash\s+(?:" + VERBS + r")\b")

def literals(text):
    """(line, joined text) of each run of adjacent string literals."""
    i, n, line = 0, len(text), 1
    cur, cur_line, gap = None, 0, False
    while i < n:
        c = text[i]
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            line += text.count("\n", i, j)
            i = j
            continue
        if text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
            continue
        if c == "\x27":                       # character constant
            j = i + 1
            while j < n and text[j] != "\x27":
                j += 2 if text[j] == "\\" else 1
            i = j + 1
            continue
        if c == "\"":
            j, s = i + 1, []
            while j < n and text[j] != "\"":
                if text[j] == "\\":
                    s.append(text[j:j + 2])
                    j += 2
                else:
                    s.append(text[j])
                    j += 1
            body = "".join(s)
            if cur is None:
                cur, cur_line = body, line
            else:
                cur += body
            line += body.count("\n")
            i = j + 1
            continue
        if c == "\n":
            line += 1
        if not c.isspace() and cur is not None:
            yield cur_line, cur
            cur = None
        i += 1
    if cur is not None:
        yield cur_line, cur

HINT = re.compile(r"(->|\.)hint\b|\bodf_diag_hint\b")
checked = bad = allowed = 0
for path in sys.stdin.read().split():
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    for ln, row in enumerate(text.split("\n"), 1):
        if HINT.search(row.split("/*")[0]):
            bad += 1
            print("%s:%d: the library words no hint: %s (set an enum "
                  "odf_reason and its facts)" % (path, ln, row.strip()),
                  file=sys.stderr)
    rows = text.split("\n")
    for ln, s in literals(text):
        checked += 1
        m = BAD.search(s)
        if m and "lib-words: allow" in rows[ln - 1]:
            allowed += 1
            print("%s:%d: allowed: \"%s\"" % (path, ln, s))
        elif m:
            bad += 1
            print("%s:%d: CLI words in a string: \"%s\" (say it with an "
                  "enum odf_reason; cli/common/words.c words it)"
                  % (path, ln, s if len(s) < 120 else s[:117] + "..."),
                  file=sys.stderr)
print("lib-words: %d literals checked, %d bad%s" % (checked, bad,
      ", %d allowed (marked lib-words: allow)" % allowed if allowed else ""))
sys.exit(1 if bad else 0)
'
