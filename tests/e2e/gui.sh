#!/bin/bash
# odflash-gtk (issue #16): the AT-SPI test of tests/gui/, run by the
# runner like every e2e script (tests/gui/gui.sh says what it checks).
. "$(dirname "$0")/lib/tap.sh"
exec bash "$(dirname "$0")/../gui/gui.sh"
