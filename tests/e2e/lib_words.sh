#!/bin/bash
# The library reports reasons and facts; only cli/ words advice with the
# command line's flags and commands (issue #11).  tools/check-lib-words.sh
# passes on the repository and fails, naming file and line, on a tree with
# a planted CLI word in a lib/ string or a planted hint write.  The planted
# words are assembled at run time so that this file holds none of them.
. "$(dirname "$0")/lib/tap.sh"
here=$(cd "$(dirname "$0")/../.." && pwd)
CHK="$here/tools/check-lib-words.sh"
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT

run "$CHK" "$here" >"$W/out" 2>"$W/err"
check "lib-words: the repository's lib/ holds no CLI words" 0 "$RC"
[ -s "$W/err" ] && nok "lib-words: no complaint on the repository" "$(head -n 3 "$W/err")" ||
	ok "lib-words: no complaint on the repository"
n=$(sed -n 's/^lib-words: \([0-9]*\) literals checked, 0 bad\(, [0-9]* allowed .*\)\{0,1\}$/\1/p' "$W/out")
[ -n "$n" ] && [ "$n" -ge 1000 ] && ok "lib-words: $n string literals checked" ||
	nok "lib-words: the check looked at the strings" "$(cat "$W/out")"

T="$W/tree"
mkdir -p "$T/lib/x"
dd=--
of=odflash
cases=0
good() { # name, C source line: the check passes
	printf '/* one */\n%s\n' "$2" >"$T/lib/x/a.c"
	run "$CHK" "$T" >"$W/o" 2>"$W/e"
	check "lib-words: passes: $1" 0 "$RC"
	cases=$((cases + 1))
}
bad() { # name, C source line: the check fails and names lib/x/a.c:2
	printf '/* one */\n%s\n' "$2" >"$T/lib/x/a.c"
	run "$CHK" "$T" >"$W/o" 2>"$W/e"
	check "lib-words: fails: $1" 1 "$RC"
	has '^lib/x/a\.c:2: ' <"$W/e" && ok "lib-words: names the file and line: $1" ||
		nok "lib-words: names the file and line: $1" "$(cat "$W/e")"
	has ' 1 bad' <"$W/o" && ok "lib-words: counts it: $1" ||
		nok "lib-words: counts it: $1" "$(cat "$W/o")"
	cases=$((cases + 1))
}
good "a factual message" 'static const char m[] = "the path carries 16384 bytes";'
good "a flag in a comment" "int x; /* the user's ${dd}chunk ends up in lim */"
good "a command line in a comment" "int y; /* $of recover DEV FILE */"
good "a dash in prose" 'static const char m[] = "DosFlash -- not through USB";'
good "the program's name alone" 'static const char m[] = "'"$of"', binflash";'
bad "a flag in a hint" 'static const char m[] = "use smaller transfers ('"$dd"'chunk 4096)";'
bad "a flag split over two literals" 'static const char m[] = "pass -" "-eject to open it";'
bad "a command line" 'static const char m[] = "run `'"$of"' scan` to list drives";'
bad "a short option" 'static const char m[] = "choose another -o";'
bad "a hint written by the library" "void f(struct odf_diag *d) { odf_diag_$(echo hint)(d, \"x\"); }"
bad "a hint field written directly" 'void g(struct odf_diag *d) { d->hint[0] = 0; }'
count_is "lib-words: planted cases" 11 "$cases"

# the real lib/ with the advice this issue moved out planted back into
# lib/scsi/run.c, as it read before
R="$W/real"
mkdir -p "$R"
cp -r "$here/lib" "$R/lib"
printf 'static const char old_hint[] =\n\t"use smaller transfers (%schunk "\n\t"4096) or connect the drive directly";\n' "$dd" >>"$R/lib/scsi/run.c"
line=$(($(wc -l <"$here/lib/scsi/run.c") + 2))
run "$CHK" "$R" >"$W/o" 2>"$W/e"
check "lib-words: the old run.c hint planted back is refused" 1 "$RC"
has "^lib/scsi/run\.c:$line: CLI words in a string" <"$W/e" &&
	ok "lib-words: it names lib/scsi/run.c:$line" ||
	nok "lib-words: it names lib/scsi/run.c:$line" "$(cat "$W/e")"
