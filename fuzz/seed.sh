#!/bin/sh
# Seed each fuzz target's corpus with the project's fixtures and the real
# device files in ../shared/realdata (RUNLENS_REALDATA overrides).
set -eu
cd "$(dirname "$0")"
realdata=${RUNLENS_REALDATA:-../../shared/realdata}
for target in fit gpx tcx containers; do mkdir -p "corpus/$target"; done
cp ../fixtures/*.fit ../fixtures/broken/*.fit corpus/fit/
cp ../fixtures/*.gpx ../fixtures/broken/*.gpx corpus/gpx/
cp ../fixtures/broken/*.tcx corpus/tcx/
cp ../fixtures/demo/*.zip ../fixtures/broken/*.zip corpus/containers/
if [ -d "$realdata" ]; then
    cp "$realdata"/fit/* corpus/fit/
    cp "$realdata"/gpx/* corpus/gpx/
    cp "$realdata"/tcx/* corpus/tcx/
fi
echo "seeded: $(ls corpus/fit | wc -l) fit, $(ls corpus/gpx | wc -l) gpx, $(ls corpus/tcx | wc -l) tcx, $(ls corpus/containers | wc -l) containers"
