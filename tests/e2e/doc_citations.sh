#!/bin/bash
# Comments cite only documents that ship: tools/check-citations.sh passes
# on the repository, and fails (naming file and line) on a tree with a
# planted bad citation.  The bad citations below are assembled at run time
# so that this file itself cites nothing that is missing.
. "$(dirname "$0")/lib/tap.sh"
here=$(cd "$(dirname "$0")/../.." && pwd)
CHK="$here/tools/check-citations.sh"
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT

run "$CHK" "$here" >"$W/out" 2>"$W/err"
check "citations: the repository cites only documents it ships" 0 "$RC"
[ -s "$W/err" ] && nok "citations: no complaint on the repository" "$(head -n 3 "$W/err")" ||
	ok "citations: no complaint on the repository"
n=$(sed -n 's/^citations: \([0-9]*\) checked, 0 bad$/\1/p' "$W/out")
[ -n "$n" ] && [ "$n" -ge 50 ] && ok "citations: $n citations checked" ||
	nok "citations: the check looked at the citations" "$(cat "$W/out")"
for d in docs/internals/protocols.md docs/internals/rig.md; do
	[ -s "$here/$d" ] && ok "citations: $d ships" || nok "citations: $d ships"
done

# A small tree: one real document and one source file per case.
T="$W/tree"
mkdir -p "$T/docs/internals" "$T/lib"
echo "# notes" >"$T/docs/internals/protocols.md"
md=md
r=$(printf 're%s' search)
good() { # name, comment text: the check passes
	rm -f "$T/lib/"*.c
	printf '/* one\n * %s\n */\n' "$2" >"$T/lib/a.c"
	run "$CHK" "$T" >"$W/o" 2>"$W/e"
	check "citations: passes: $1" 0 "$RC"
}
bad() { # name, comment text: the check fails and names lib/a.c:2
	rm -f "$T/lib/"*.c
	printf '/* one\n * %s\n */\n' "$2" >"$T/lib/a.c"
	run "$CHK" "$T" >"$W/o" 2>"$W/e"
	check "citations: fails: $1" 1 "$RC"
	has '^lib/a\.c:2: cites ' <"$W/e" && ok "citations: names the file and line: $1" ||
		nok "citations: names the file and line: $1" "$(cat "$W/e")"
	has '^citations: 1 checked, 1 bad$' <"$W/o" && ok "citations: counts it: $1" ||
		nok "citations: counts it: $1" "$(cat "$W/o")"
}
good "a shipped document" "see docs/internals/protocols.$md §2.1"
good "a peer repository's own file" "Liggy/binflash Tools.$md says so"
good "a peer repository at a commit" "Liggy/binflash@5cfb543 README.$md"
bad "a bare document name" "protocols.$md §1.1b"
bad "a document that does not ship" "docs/internals/anchors.$md [S40]"
bad "a path under a research directory" "$r/rig.txt"
bad "the notes by name" "the $r notes"
