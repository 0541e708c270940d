# shellcheck shell=bash
# QEMU accelerator choice for the rig (tests/rig/run.sh) and the rescue
# boot test (tests/rescue/boot-test.sh); sourced (bash).
#
#   qemu_accel VMLINUZ CACHEDIR   sets ACCEL (kvm or tcg) and ACCEL_WHY
#
# KVM is used only when it works: /dev/kvm opens read-write AND a probe
# boot with -accel kvm (VMLINUZ, no initramfs, panic=-1: the kernel panics
# for want of a root file system and QEMU exits, -no-reboot) ends within
# ODF_KVM_PROBE_S seconds (default 20; real KVM takes about 1 s, TCG
# 4-20 s on a loaded 2-core machine).  A /dev/kvm whose guest runs slower
# than TCG fails the probe: measured on the project's test hosts, a
# nested "kvm_pvm" module runs a stock Debian kernel's decompressor one
# emulated instruction at a time (no console output in 120 s,
# docs/internals/rig.md §1.1).
# ODF_QEMU_ACCEL=kvm|tcg forces the choice (no probe).  The probe's
# verdict is cached in CACHEDIR/accel, keyed by the host's boot id, the
# QEMU version and the kernel's sha256, so it costs its time once per boot.
qemu_accel() {
	local k=$1 dir=$2 key log s rc n
	ACCEL=tcg ACCEL_WHY=
	case ${ODF_QEMU_ACCEL:-auto} in
	kvm|tcg) ACCEL=$ODF_QEMU_ACCEL; ACCEL_WHY="ODF_QEMU_ACCEL=$ODF_QEMU_ACCEL"; return 0 ;;
	auto) ;;
	*) ACCEL_WHY="ODF_QEMU_ACCEL='$ODF_QEMU_ACCEL' is not kvm, tcg or auto: TCG"; return 0 ;;
	esac
	if [ ! -e /dev/kvm ]; then ACCEL_WHY="no /dev/kvm: TCG"; return 0; fi
	if [ ! -r /dev/kvm ] || [ ! -w /dev/kvm ]; then
		ACCEL_WHY="/dev/kvm is not read-write for $(id -un) (group kvm?): TCG"; return 0
	fi
	key="$(cat /proc/sys/kernel/random/boot_id 2>/dev/null) $(qemu-system-x86_64 --version | head -n 1) $(sha256sum <"$k" 2>/dev/null | cut -c1-16)"
	mkdir -p "$dir"
	if [ -f "$dir/accel" ] && [ "$(head -n 1 "$dir/accel")" = "$key" ]; then
		ACCEL=$(sed -n 2p "$dir/accel"); ACCEL_WHY="$(sed -n 3p "$dir/accel") (cached)"
		return 0
	fi
	log=$dir/accel-probe.log
	rm -f "$log"
	s=$(date +%s.%N)
	timeout "${ODF_KVM_PROBE_S:-20}" qemu-system-x86_64 -M pc -accel kvm -m 256 -smp 1 \
		-nodefaults -display none -no-reboot -monitor none -serial "file:$log" \
		-kernel "$k" -append "console=ttyS0 panic=-1 loglevel=1" \
		</dev/null >"$log.qemu" 2>&1
	rc=$?
	s=$(awk "BEGIN { printf \"%.1f\", $(date +%s.%N) - $s }")
	if [ $rc = 0 ] && grep -q 'Kernel panic' "$log" 2>/dev/null; then
		ACCEL=kvm ACCEL_WHY="KVM works: the probe kernel reached its panic in $s s"
	elif [ $rc = 124 ]; then
		n=$(grep -c . "$log" 2>/dev/null)
		ACCEL_WHY="/dev/kvm is there but a KVM guest is too slow to use: the probe kernel did not reach its panic in ${ODF_KVM_PROBE_S:-20} s (${n:-0} console lines$(grep -qs . /sys/module/kvm_pvm/parameters/pvm_native && echo '; kvm_pvm: nested, instructions emulated')): TCG"
	else
		ACCEL_WHY="KVM does not start (QEMU exit $rc: $(tail -n 1 "$log.qemu" | tr -d '\r')): TCG"
	fi
	printf '%s\n%s\n%s\n' "$key" "$ACCEL" "$ACCEL_WHY" >"$dir/accel"
}
