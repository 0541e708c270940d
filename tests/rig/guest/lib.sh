# Helpers shared by the guest scenarios (sourced by /init).
RES=/dev/ttyS1
W=/tmp/w            # scratch directory of the current check
export XDG_STATE_HOME=/tmp/xdg-state
mkdir -p $W $XDG_STATE_HOME

res() {     # one result line, to the results port and the console
	echo "$*" >$RES
	echo "RESULT: $*"
}
ok() { res "ok - $*"; }
notok() { res "not ok - $*"; }

# run CMD..., keep stdout/stderr/rc in $W/out $W/err $RC, show them
run() {
	echo "---- \$ $*"
	t0=$(cut -d' ' -f1 /proc/uptime)
	"$@" >$W/out 2>$W/err
	RC=$?
	t1=$(cut -d' ' -f1 /proc/uptime)
	cat $W/out; sed 's/^/  stderr: /' $W/err
	echo "---- rc=$RC ($(awk "BEGIN { printf \"%.1f\", $t1 - $t0 }") s)"
	return 0
}
# check NAME EXPECTED_RC CMD... : ok if the exit code matches
check() {
	n=$1 e=$2; shift 2
	run "$@"
	if [ "$RC" = "$e" ]; then ok "$n"; return 0; fi
	notok "$n (exit $RC, expected $e)"; return 1
}
# has FILE REGEX : grep -E in a captured output
has() { grep -qE "$2" "$1"; }

host_of() { # sgN -> scsi host proc_name
	hctl=$(basename "$(readlink -f /sys/class/scsi_generic/$1/device)")
	cat /sys/class/scsi_host/host${hctl%%:*}/proc_name 2>/dev/null
}
sgs_of() {  # the sg devices on host driver $1
	for d in /sys/class/scsi_generic/sg*; do
		[ -e "$d" ] || continue
		n=${d##*/}
		[ "$(host_of $n)" = "$1" ] && echo $n
	done
}
sr_of() {   # sgN -> srN (or nothing)
	ls /sys/class/scsi_generic/$1/device/block 2>/dev/null | head -n 1
}
hctl_of() { basename "$(readlink -f /sys/class/scsi_generic/$1/device)"; }
wait_sg() { # wait up to 20 s for $2 sg devices on host driver $1
	i=0
	while [ $i -lt 200 ]; do
		[ $(sgs_of $1 | wc -l) -ge $2 ] && [ -z "$(for s in $(sgs_of $1); do [ -n "$(sr_of $s)" ] || echo x; done)" ] && break
		sleep 0.1; i=$((i + 1))
	done
	sleep 0.2
	echo "RIG: $(sgs_of $1 | wc -l) sg device(s) on $1 after ~$((i / 10)) s"
}
# by-path style links the way udev's path_id would make them is not
# available (no udev in the guest): make /dev/disk/by-path/<host>-scsi-HCTL
# -> ../../srN so that odflash's link resolution is exercised.
mk_by_path() {
	mkdir -p /dev/disk/by-path
	for d in /sys/class/scsi_generic/sg*; do
		n=${d##*/}; b=$(sr_of $n)
		[ -n "$b" ] || continue
		ln -sf ../../$b /dev/disk/by-path/$(host_of $n)-scsi-$(hctl_of $n)
	done
}
