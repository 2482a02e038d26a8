#!/usr/bin/env bash
# The distribution as a user meets it (run by `mvn verify` after the archive is made): unpacked in a
# new folder, reached through a symlink on a PATH that has java and basic tools but no Maven, started
# from another directory; its output must be byte for byte the repository's ./analyze output.
# Usage: check-dist.sh TARBALL REPOSITORY
set -euo pipefail
tarball="$(readlink -f -- "$1")"
repo="$(readlink -f -- "$2")"
work="$(mktemp -d "${TMPDIR:-/tmp}/finwait-dist.XXXXXX")"
trap 'rm -rf "$work"' EXIT
fail() { echo "check-dist: $*" >&2; exit 1; }

mkdir "$work/install" "$work/bin" "$work/elsewhere"
tar xzf "$tarball" -C "$work/install"
home="$(echo "$work"/install/finwait-*)"
for f in bin/analyze LICENSE THIRD-PARTY.txt README.md man/man1/analyze.1 completion/analyze.bash examples/busy.pcap; do
  [ -f "$home/$f" ] || fail "$f missing from $tarball"
done
[ -x "$home/bin/analyze" ] || fail "bin/analyze is not executable"
ls "$home"/analyzer-cli-*.jar >/dev/null 2>&1 || fail "no analyzer-cli jar in $tarball"

# A PATH without Maven: only what the launcher and java need.
for tool in bash env readlink dirname find stat awk cat grep cksum cut mkdir touch mv rm tput stty java; do
  p="$(command -v "$tool" 2>/dev/null)" && ln -s "$p" "$work/bin/$tool"
done
ln -s "$home/bin/analyze" "$work/bin/analyze"
run_dist() { (cd "$work/elsewhere" && env -u FINWAIT_JAVA_OPTS PATH="$work/bin" HOME="$work" analyze "$@"); }
run_repo() { (cd "$repo" && env -u FINWAIT_JAVA_OPTS ./analyze "$@"); }
(cd "$work/elsewhere" && PATH="$work/bin" command -v mvn >/dev/null 2>&1) && fail "mvn is on the test PATH"

n=0
for pair in write-after-close:text write-after-close:ladder write-after-close:jsonl write-after-close:csv \
    write-after-close:zeek busy:text busy:jsonl; do
  capture="${pair%%:*}.pcap" format="${pair#*:}"
  for width in 100; do
    args=(-q --width "$width" --format "$format" "$repo/sample-captures/$capture")
    run_dist "${args[@]}" >"$work/dist.out" 2>"$work/dist.err" || fail "installed analyze ${args[*]} failed: $(cat "$work/dist.err")"
    run_repo "${args[@]}" >"$work/repo.out" 2>"$work/repo.err" || fail "./analyze ${args[*]} failed: $(cat "$work/repo.err")"
    cmp -s "$work/dist.out" "$work/repo.out" || fail "output differs for ${args[*]}"
    [ -s "$work/dist.out" ] || fail "no output for ${args[*]}"
    n=$((n + 1))
  done
done
run_dist --version >"$work/dist.out"
run_repo --version >"$work/repo.out"
cmp -s "$work/dist.out" "$work/repo.out" || fail "--version differs: $(cat "$work/dist.out") / $(cat "$work/repo.out")"
grep -Eq '^analyze \(finwait\) [0-9][^ ]* \(commit ([0-9a-f]+|unknown)\)$' "$work/dist.out" \
  || fail "--version prints: $(cat "$work/dist.out")"
version="$(cat "$work/dist.out")"
# java -jar on the installed jar, and an error keeps its exit code through the launcher.
(cd "$work/elsewhere" && java -jar "$home"/analyzer-cli-*.jar -q "$home/examples/busy.pcap" >/dev/null) || fail "java -jar failed"
set +e
run_dist "$work/no-such-file.pcap" >/dev/null 2>&1
code=$?
set -e
[ "$code" = 3 ] || fail "a missing file exits $code through the installed launcher, not 3"
# bash completion loads and registers analyze.
bash -c "source '$home/completion/analyze.bash' && complete -p analyze" >/dev/null 2>&1 || fail "completion does not load"
completed="$(bash -c "source '$home/completion/analyze.bash'; COMP_WORDS=(analyze --for); COMP_CWORD=1
  COMP_LINE='analyze --for'; COMP_POINT=13; _complete_analyze; echo \"\${COMPREPLY[*]}\"" 2>/dev/null)"
[ "$completed" = "--format" ] || fail "bash completion of '--for' gives '$completed', not --format"
# zsh loads the same script through bashcompinit (checked where zsh is installed).
if command -v zsh >/dev/null 2>&1; then
  zsh -fc "autoload -U +X compinit && compinit -u -D && autoload -U +X bashcompinit && bashcompinit \
    && source '$home/completion/analyze.bash' && [[ -n \"\${_comps[analyze]}\" ]]" >/dev/null 2>&1 \
    || fail "zsh does not load the completion through bashcompinit"
fi
# The .deb, where one was made: unpacked (not installed), run through its /usr/bin/analyze symlink.
deb="$(ls "$(dirname "$tarball")"/finwait_*_all.deb 2>/dev/null | head -1 || true)"
debnote="no .deb (dpkg-deb missing)"
if [ -n "$deb" ]; then
  mkdir "$work/deb"
  dpkg-deb -x "$deb" "$work/deb"
  for f in usr/bin/analyze usr/share/man/man1/analyze.1.gz usr/share/bash-completion/completions/analyze \
      usr/share/doc/finwait/copyright; do
    [ -e "$work/deb/$f" ] || fail "$f missing from $deb"
  done
  args=(-q --format jsonl "$repo/sample-captures/busy.pcap")
  (cd "$work/elsewhere" && "$work/deb/usr/bin/analyze" "${args[@]}") >"$work/dist.out" || fail "the .deb's analyze failed"
  run_repo "${args[@]}" >"$work/repo.out"
  cmp -s "$work/dist.out" "$work/repo.out" || fail "the .deb's output differs from ./analyze"
  debnote="$(basename "$deb") unpacked: same output"
fi
echo "check-dist: $n outputs byte-identical to ./analyze, --version '$version', java -jar, completion: ok; $debnote"
