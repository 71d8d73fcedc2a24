#!/bin/sh
# Undo after-install.sh.
rm -f /usr/share/mime/packages/ifcb-viewer.xml
if command -v update-mime-database >/dev/null 2>&1; then update-mime-database /usr/share/mime || true; fi
