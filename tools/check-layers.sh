#!/bin/sh
# Dependencies point only downward: cli -> session -> vendor -> scsi ->
# transport; image stands alone; emu uses only public headers + image.
# Fails if a file includes a header of a layer above it.
cd "$(dirname "$0")/.." || exit 2
bad=0
check() { # dir, forbidden-regex, why
	hits=$(grep -rnE "^#include \"($2)" "$1" 2>/dev/null)
	if [ -n "$hits" ]; then
		echo "layer violation ($3):"; echo "$hits"; bad=1
	fi
}
check lib/image 'odf/(transport|scsi|vendor|flash|plan)\.h|transport/|scsi/|vendor/|session/|odemu' "image never touches a device"
check lib/transport 'odf/(scsi|vendor|flash|plan)\.h|scsi/|vendor/|session/' "transport is the bottom layer"
check lib/scsi 'odf/(vendor|flash|plan)\.h|vendor/|session/' "scsi is below vendor"
check lib/vendor 'odf/flash\.h|session/' "vendor is below the session"
check emu 'odf/(scsi|vendor|flash|plan)\.h|scsi/|vendor/|session/|transport/|util/' "emu uses only public headers and the image library"
[ $bad = 0 ] && echo "layers: ok"
exit $bad
