# Sourced by the scripts that start quarryd to measure it (Benchmarks/bench, Benchmarks/profile-query,
# Benchmarks/bench.d/interleave). quarryd takes its settings from QUARRY_* environment variables too, so a user's
# exported QUARRY_WORKERS or QUARRY_SPELLING_SUGGESTIONS would silently change what is measured.
#
#   quarryd_clean_env ARRAY    sets ARRAY to `-u NAME` for every QUARRY_* variable: env "${ARRAY[@]}" quarryd ...

quarryd_clean_env() {
    local -n quarryd_clean_env_args=$1
    local name
    quarryd_clean_env_args=()
    while IFS= read -r name; do
        quarryd_clean_env_args+=(-u "$name")
    done < <(compgen -e | grep '^QUARRY_' || true)
}
