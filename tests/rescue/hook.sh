# Test-image hook of the rescue image (sourced by /init with HOOK_STAGE=pre
# before the job and HOOK_STAGE=post after it; only tools/mkrescue.sh --test adds it).
# An emulated NEC ND-3500AG served by `odemu tcmu` through target_core_user
# + tcm_loop (as the rig's tests/rig/guest/tcmu-setup.sh wires it).  Its
# state lives on the stick (test/nec.state) so that it survives the
# reboot; test/fault holds `odemu fault` options applied once at boot.
T=$STICK/test
case $HOOK_STAGE in
pre)
	. /rescue/tcmu-setup.sh
	mkdir -p $T
	if [ -f $T/nec.state ]; then cp $T/nec.state /tmp/nec.state
	else odemu new nec-nd3500 /tmp/nec.state >/dev/null 2>&1 || say "hook: odemu new failed"; fi
	if [ -f $T/fault ]; then
		# shellcheck disable=SC2046 # the options, one word each
		odemu fault /tmp/nec.state $(cat $T/fault) >/dev/null 2>&1 &&
			say "hook: odemu fault $(cat $T/fault)" || say "hook: odemu fault failed"
		rm -f $T/fault
	fi
	odemu power-on /tmp/nec.state >/dev/null 2>&1
	# odemu tcmu loads and saves the 2 MB state on every command (so that
	# `odemu fault` and power-off act at once): its malloc of the buffers
	# is kept off mmap, whose fresh pages cost a fault each under TCG
	# (glibc tunables, glibc manual "Memory Allocation Tunables"; a dump
	# of 513 commands measured 80 s without, 59 s with, on a loaded host)
	export GLIBC_TUNABLES=glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=268435456
	tcmu_init && tcmu_add nec0 0 /tmp/nec.state || say "hook: tcmu set-up failed"
	unset GLIBC_TUNABLES
	i=0
	while [ $i -lt 100 ] && ! grep -qs tcm_loopback /sys/class/scsi_host/*/proc_name; do sleep 0.1; i=$((i + 1)); done
	# the sr + sg of the LUN attach after the host appears
	i=0
	while [ $i -lt 100 ] && ! odflash scan 2>/dev/null | grep -q ND-3500AG; do
		sleep 0.2; i=$((i + 1))
	done
	say "hook: emulated drive up after ~$((i / 5)) s: $(odflash scan 2>/dev/null | grep ND-3500AG)"
	;;
post)
	kill "$(cat /tmp/tcmu-nec0.pid)" 2>/dev/null
	sleep 0.3
	cp /tmp/nec.state $T/nec.state && sync
	say "hook: drive state saved ($(odemu show /tmp/nec.state 2>/dev/null | grep -iE '^ *(mode|revision)' | tr -s ' \n' ' '))"
	;;
esac
