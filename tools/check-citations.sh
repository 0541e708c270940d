#!/bin/bash
# tools/check-citations.sh [ROOT]: every document a comment cites must ship.
#
# Scans the text files under lib emu cli include tests tools of ROOT (the
# repository by default) for paths ending in .md and fails when one does
# not exist relative to ROOT.  A path written right after an external
# repository, "owner/name path" or "owner/name@commit path" (a peer
# project's file), is not ours and is not checked.  Notes that never ship
# (the research directory and the shared notes the project was started
# from) are refused outright, by name.  Prints one line per bad citation on stderr and, at the end,
# "citations: N checked, M bad"; exit 1 when M > 0.
set -eu -o pipefail

ROOT=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$ROOT"
DIRS=()
for d in lib emu cli include tests tools; do
	[ -d "$d" ] && DIRS+=("$d")
done
[ ${#DIRS[@]} -gt 0 ] || { echo "check-citations: nothing to scan in $ROOT" >&2; exit 1; }

# file<TAB>line<TAB>kind<TAB>text, kind "doc" (a path to test) or "never"
scan() {
	grep -rIl --exclude-dir=corpus -e . "${DIRS[@]}" | LC_ALL=C sort |
	while IFS= read -r f; do
		LC_ALL=C awk -v OFS='\t' '
		{
			s = $0
			# "$here/docs/x" and "${B}/x" are paths from a variable
			gsub(/\$\{?[A-Za-z_][A-Za-z0-9_]*\}?\//, "", s)
			if (match(s, /\/work\/shared|\.\.\/shared\/|research\/|[Rr]esearch (notes|data|seeds|rig|protocols|anchors)/))
				print FILENAME, FNR, "never", substr(s, RSTART, RLENGTH)
			while (match(s, /[A-Za-z0-9_.\/+-]*[A-Za-z0-9_+-]\.md([^A-Za-z0-9_]|$)/)) {
				tok = substr(s, RSTART, RLENGTH)
				pre = substr(s, 1, RSTART - 1)
				s = substr(s, RSTART + RLENGTH)
				sub(/[^A-Za-z0-9_]$/, "", tok)
				sub(/^(\.\/)+/, "", tok)
				if (pre ~ /(^|[^A-Za-z0-9_.\/-])[A-Za-z0-9_-]+\/[A-Za-z0-9_.+-]+(@[0-9a-fA-F]+)? +$/)
					continue
				print FILENAME, FNR, "doc", tok
			}
		}' "$f"
	done
}

checked=0
bad=0
while IFS=$'\t' read -r file line kind tok; do
	checked=$((checked + 1))
	if [ "$kind" = never ]; then
		echo "$file:$line: cites \"$tok\": notes that do not ship; cite the public source or docs/internals/" >&2
		bad=$((bad + 1))
	elif [ ! -e "$tok" ]; then
		echo "$file:$line: cites $tok, which is not in the repository" >&2
		bad=$((bad + 1))
	fi
done < <(scan)
echo "citations: $checked checked, $bad bad"
[ "$bad" -eq 0 ]
