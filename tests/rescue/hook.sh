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
	tcmu_init && tcmu_add nec0 0 /tmp/nec.state || say "hook: tcmu set-up failed"
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
