# Sourced by Benchmarks/eval and Benchmarks/bench: the shared Python virtualenv Benchmarks/.venv (git-ignored).
#
#   quarry_venv PREFIX MODULE=PIP_PACKAGE...
#
# Makes sure Debian's python3 has the Xapian bindings (python3-xapian) and python3-venv, creates the venv
# with --system-site-packages (so the venv sees python3-xapian), pip-installs each PIP_PACKAGE whose MODULE
# does not import, and sets $vpy to the venv's python. A pair "a|b=pkg-a|pkg-b" tries pkg-a, then pkg-b if
# its install fails (modules a or b satisfy it). PREFIX starts the messages (eval:, bench:).

quarry_venv() {
    local prefix=$1 benchmarks venv python=/usr/bin/python3 spec modules packages module package ok
    shift
    benchmarks=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
    venv="$benchmarks/.venv"
    if ! "$python" -c 'import xapian, venv' 2>/dev/null || ! "$python" -m ensurepip --version >/dev/null 2>&1; then
        echo "$prefix installing python3-xapian python3-venv (Debian)" >&2
        local sudo=""; [[ $(id -u) -eq 0 ]] || sudo=sudo
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq python3-xapian python3-venv >/dev/null
    fi
    if [[ ! -x $venv/bin/python ]]; then
        echo "$prefix creating $venv" >&2
        "$python" -m venv --system-site-packages "$venv"
    fi
    vpy="$venv/bin/python"
    if ! "$vpy" -c 'import xapian' 2>/dev/null; then
        echo "$prefix $venv cannot import xapian; recreate it with: rm -rf $venv" >&2
        return 1
    fi
    for spec in "$@"; do
        IFS='|' read -r -a modules <<<"${spec%%=*}"
        IFS='|' read -r -a packages <<<"${spec#*=}"
        ok=0
        for module in "${modules[@]}"; do
            "$vpy" -c "import $module" 2>/dev/null && { ok=1; break; }
        done
        ((ok)) && continue
        for package in "${packages[@]}"; do
            echo "$prefix pip install $package" >&2
            if "$vpy" -m pip install --quiet --disable-pip-version-check "$package"; then ok=1; break; fi
            echo "$prefix $package failed to install" >&2
        done
        ((ok)) || return 1
    done
}
