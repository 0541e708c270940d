#!/bin/bash
# Dependencies point only downward, checked on what the compiler sees:
#   cli -> session (lib/flash or lib/session) -> drivers (lib/vendor or
#   lib/drivers) -> scsi -> transport -> util (lib/util, the bottom);
#   lib/image stands alone (util + public headers);
#   emu (emu/, emu/preload, emu/tcmu) beside: public headers, lib/image,
#   lib/util.
# 1. headers: `$CC -MM` with the build's real -I flags lists every header
#    each source pulls in, however it was spelled (../../cli/..., -I
#    paths); each header's layer must be allowed for the source's layer.
# 2. symbols: `nm` on each layer's objects (build/obj, $ODF_LAYERS_OBJ):
#    no undefined symbol may be defined by a layer it may not use (e.g.
#    libodf calling odemu_*, emu calling cli_*); and no emu object calls
#    odf_image_*: the emulator judges and builds firmware with its own
#    emu/fmt_*.c (issue 13), so odflash's image code is never checked
#    against itself.
cd "$(dirname "$0")/.." || exit 2
CC=${CC:-cc}
OBJ=${ODF_LAYERS_OBJ:-build/obj}
FLAGS="-std=c11 -D_GNU_SOURCE -Iinclude -Ilib -Iemu"
bad=0

# layer of a repository path (a source or a header)
layer_of() {
	case $1 in
	include/odf/transport.h) echo transport ;;
	include/odf/scsi.h) echo scsi ;;
	include/odf/vendor.h|include/odf/plan.h|include/odf/drivers.h) echo drivers ;;
	include/odf/flash.h|include/odf/session.h) echo session ;;
	include/odf/image.h) echo image ;;
	include/odf/*) echo util ;;		# error.h bytes.h ident.h ...
	include/odemu/*) echo emu ;;
	lib/util/*) echo util ;;
	lib/transport/*) echo transport ;;
	lib/scsi/*) echo scsi ;;
	lib/vendor/*|lib/drivers/*) echo drivers ;;
	lib/flash/*|lib/session/*) echo session ;;
	lib/image/*) echo image ;;
	emu/*) echo emu ;;
	cli/*) echo cli ;;
	*) echo other ;;
	esac
}

# may layer $1 use layer $2?
allowed() {
	[ "$1" = "$2" ] && return 0
	case $1 in
	util) return 1 ;;
	transport) [ "$2" = util ] ;;
	scsi) case $2 in util|transport) return 0 ;; esac; return 1 ;;
	drivers) case $2 in util|transport|scsi|image) return 0 ;; esac; return 1 ;;
	session) case $2 in util|transport|scsi|drivers|image) return 0 ;; esac; return 1 ;;
	image) [ "$2" = util ] ;;
	# emu: public headers (any include/odf), lib/image, lib/util
	emu) return 2 ;;
	cli) [ "$2" != other ] ;;
	*) return 1 ;;
	esac
}

emu_allowed() { # header path
	case $1 in
	include/*|lib/image/*|lib/util/*|emu/*) return 0 ;;
	esac
	return 1
}

# ---- 1. headers as the compiler resolves them
srcs=$(ls lib/*/*.c emu/*.c emu/*/*.c cli/*/*.c 2>/dev/null)
for f in $srcs; do
	from=$(layer_of "$f")
	deps=$($CC $FLAGS -MM "$f" 2>/dev/null) || {
		echo "layers: $CC -MM failed on $f"; bad=1; continue; }
	for h in $(echo "$deps" | sed 's/\\$//' | tr ' ' '\n' | grep '\.h$'); do
		h=$(realpath -m --relative-to=. "$h")
		to=$(layer_of "$h")
		if [ "$from" = emu ]; then
			emu_allowed "$h" && continue
		else
			allowed "$from" "$to" && continue
		fi
		echo "layer violation: $f ($from) pulls in $h ($to)"
		bad=1
	done
done

# ---- 2. symbols: what each layer's objects call (the objects of today's
# sources only; emu/preload's objects define open/ioctl/... to interpose
# on libc, so they are callers here, never definers)
if [ -d "$OBJ" ]; then
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	: >"$tmp/defs"; : >"$tmp/undef"
	for f in $srcs; do
		o="$OBJ/${f%.c}.o"
		[ -f "$o" ] || { echo "layers: no object $o (run make)"; bad=1; continue; }
		l=$(layer_of "$f")
		case $f in emu/preload/*) ;; *)
			nm -g --defined-only "$o" |
				awk -v l="$l" 'NF >= 3 { print $3, l }' >>"$tmp/defs" ;;
		esac
		[ "$l" = cli ] && continue
		nm -u "$o" | awk -v l="$l" -v f="$f" '{ print $NF, l, f }' >>"$tmp/undef"
	done
	sort -u "$tmp/defs" >"$tmp/defs.s"
	sort "$tmp/undef" >"$tmp/undef.s"
	# symbol, caller layer, caller source, defining layer
	join "$tmp/undef.s" "$tmp/defs.s" >"$tmp/calls"
	while read -r sym from f to; do
		case $from:$sym in emu:odf_image_*)
			echo "layer violation: $f (emu) calls $sym: the" \
			     "emulator reads firmware with its own emu/fmt_*.c"
			bad=1
			continue ;;
		esac
		if [ "$from" = emu ]; then
			case $to in emu|image|util|transport|scsi) continue ;; esac
		else
			allowed "$from" "$to" && continue
		fi
		echo "layer violation: $f ($from) calls $sym ($to)"
		bad=1
	done <"$tmp/calls"
else
	echo "layers: no objects in $OBJ (run make first): symbols not checked"
	bad=1
fi
# libodf.a links without the emulator
if [ -f "${OBJ%/obj}/libodf.a" ] &&
   nm -u "${OBJ%/obj}/libodf.a" | grep -q ' odemu_'; then
	echo "layer violation: libodf.a needs odemu_ symbols:"
	nm -u "${OBJ%/obj}/libodf.a" | grep ' odemu_' | sort -u
	bad=1
fi
[ $bad = 0 ] && echo "layers: ok"
exit $bad
