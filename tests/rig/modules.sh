# shellcheck shell=bash
# Sourced by tests/rig/build.sh and tools/mkrescue.sh.
# copy_modules K KV R LIST MODULE...: the closure of MODULE... (kmod's
# modprobe --show-depends on the kernel tree unpacked at K) copied into
# the initramfs tree R with modules.{order,builtin,builtin.modinfo}, then
# depmod; the list of .ko files goes to LIST.  Returns 1 when a step fails.
copy_modules() {
	local k=$1 kv=$2 r=$3 list=$4 m ko rel
	shift 4
	for m in "$@"; do
		modprobe -d "$k" -S "$kv" --show-depends "$m" 2>/dev/null |
			awk '$1 == "insmod" { print $2 }'
	done | sort -u >"$list"
	[ -s "$list" ] || return 1
	while read -r ko; do
		rel=${ko#"$k"}
		mkdir -p "$r$(dirname "$rel")"
		cp "$ko" "$r$rel" || return 1
	done <"$list"
	cp "$k/lib/modules/$kv/"modules.{order,builtin,builtin.modinfo} "$r/lib/modules/$kv/" 2>/dev/null
	depmod -b "$r" "$kv"
}
