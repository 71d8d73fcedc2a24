#!/bin/sh
# Register the IFCB MIME types (*.adc, *.hdr, *.roi) so file managers offer IFCB Viewer for them.
set -e
install -D -m 644 "/opt/IFCB Viewer/resources/ifcb-viewer-mime.xml" /usr/share/mime/packages/ifcb-viewer.xml
if command -v update-mime-database >/dev/null 2>&1; then update-mime-database /usr/share/mime || true; fi
if command -v update-desktop-database >/dev/null 2>&1; then update-desktop-database /usr/share/applications || true; fi
