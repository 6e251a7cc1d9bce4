#!/bin/sh
# Seed each fuzz target's corpus with the project's fixtures and the real
# device files in ../shared/realdata (RUNLENS_REALDATA overrides).
set -eu
cd "$(dirname "$0")"
realdata=${RUNLENS_REALDATA:-../../shared/realdata}
for target in fit gpx tcx containers xml_structured; do mkdir -p "corpus/$target"; done
cp ../fixtures/*.fit ../fixtures/broken/*.fit corpus/fit/
cp ../fixtures/*.gpx ../fixtures/broken/*.gpx corpus/gpx/
cp ../fixtures/broken/*.tcx corpus/tcx/
cp ../fixtures/demo/*.zip ../fixtures/broken/*.zip corpus/containers/
if [ -d "$realdata" ]; then
    cp "$realdata"/fit/* corpus/fit/
    cp "$realdata"/gpx/* corpus/gpx/
    cp "$realdata"/tcx/* corpus/tcx/
fi
# The parser-only targets start from the same files as the whole-analysis
# ones; xml_structured builds its own documents and starts empty.
for format in fit gpx tcx; do
    mkdir -p "corpus/parse_$format"
    cp corpus/$format/* "corpus/parse_$format/"
done
echo "seeded: $(ls corpus/fit | wc -l) fit, $(ls corpus/gpx | wc -l) gpx, $(ls corpus/tcx | wc -l) tcx, $(ls corpus/containers | wc -l) containers"
