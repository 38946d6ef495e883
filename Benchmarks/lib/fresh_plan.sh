# Sourced by the scripts that build the Benchmarks package (check, bench, profile-query).
#
#   fresh_build_plan SCRATCH_DIR
#
# SwiftPM keeps a build plan in the scratch folder and, for the root package reached as a path dependency, does
# not notice a source file added since: the next build fails ("cannot find 'X' in scope"). When the list of the
# root package's source files differs from the one recorded at the last build, the plan is dropped (the
# *.yaml files and build.db) so that SwiftPM plans again; compiled objects are kept.
fresh_build_plan() {
    local scratch=$1 root list
    root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
    list=$(cd "$root" && find Sources CXapian -type f | LC_ALL=C sort | cksum)
    mkdir -p "$scratch"
    if [[ $list != "$(cat "$scratch/.quarry-source-list" 2>/dev/null)" ]]; then
        rm -f "$scratch"/*.yaml "$scratch/build.db"
        echo "$list" >"$scratch/.quarry-source-list"
    fi
}
