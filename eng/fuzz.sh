#!/usr/bin/env bash
# Coverage-guided fuzzing of AiEng's parsers of untrusted input with SharpFuzz and afl-fuzz (docs/reliability.md, "Fuzzing").
#
#   eng/fuzz.sh <target|all|t1,t2,...> <seconds per target>
#
# AIENG_FUZZ_RESUME=1 starts each target from the corpus its previous run left in artifacts/fuzz/<target>/ (with the
# committed seeds) instead of the seeds alone, so that long runs can be made in several sittings.
#
# Installs what is missing (Debian's afl++, the sharpfuzz tool from .config/dotnet-tools.json), builds tests/AiEng.Fuzz in
# Release (AIENG_FUZZ_CONFIGURATION=Debug AIENG_FUZZ_NO_BUILD=1 reuse a solution build, as CI does), instruments a copy of the assemblies each
# target parses with, runs afl-fuzz for the given time per target, one at a time, and prints per target the seconds,
# executions, crashes and hangs. Findings are copied to artifacts/fuzz/found/<target>/.
# Exit status: 0 when no crash was found (hangs are reported, not failed on), 1 on a crash, 2 on a usage or setup error.
# Without afl++ (and no way to install it) it prints a warning and exits 0, so that CI skips the step.
set -uo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

if [ $# -ne 2 ] || ! [[ "$2" =~ ^[0-9]+$ ]] || [ "$2" -lt 1 ]; then
  echo "usage: eng/fuzz.sh <target|all|t1,t2,...> <seconds per target>" >&2
  exit 2
fi
requested=$1
seconds=$2
project=tests/AiEng.Fuzz
out=artifacts/fuzz
found=$out/found

# The assemblies whose branches guide each target: AiEng's parser and the library it parses with.
assemblies_of() {
  case "$1" in
    prompt) echo "AiEng.Prompts.dll Fluid.dll Parlot.dll YamlDotNet.dll" ;;
    jsonl | text) echo "AiEng.Retrieval.dll" ;;
    markdown) echo "AiEng.Retrieval.dll Markdig.dll" ;;
    html) echo "AiEng.Retrieval.Html.dll AngleSharp.dll" ;;
    pdf) echo "AiEng.Retrieval.Pdf.dll UglyToad.PdfPig.dll UglyToad.PdfPig.Core.dll UglyToad.PdfPig.Tokenization.dll UglyToad.PdfPig.Tokens.dll UglyToad.PdfPig.Fonts.dll UglyToad.PdfPig.DocumentLayoutAnalysis.dll" ;;
    docx) echo "AiEng.Retrieval.Docx.dll DocumentFormat.OpenXml.Framework.dll System.IO.Packaging.dll" ;;
    judge) echo "AiEng.Evaluation.dll" ;;
    structured) echo "AiEng.Prompts.dll JsonSchema.Net.dll" ;;
    finetuning) echo "AiEng.FineTuning.dll AiEng.Retrieval.dll" ;;
    *) return 1 ;;
  esac
}

# The afl-fuzz dictionary of tokens for each target's format (tests/AiEng.Fuzz/dictionaries); none for plain text and DOCX,
# whose bytes are text or compressed.
dictionary_of() {
  case "$1" in
    prompt | markdown | html | pdf) echo "$project/dictionaries/$1.dict" ;;
    jsonl | finetuning | judge | structured) echo "$project/dictionaries/json.dict" ;;
    *) echo "" ;;
  esac
}

echo "== afl++"
if ! command -v afl-fuzz >/dev/null 2>&1; then
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && sudo_cmd="sudo"
  { $sudo_cmd apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends afl++ >/dev/null; } 2>&1 | tail -n 3
fi
if ! command -v afl-fuzz >/dev/null 2>&1; then
  echo "warning: afl++ is not installed and could not be installed (apt-get install afl++); fuzzing skipped"
  exit 0
fi

echo "== sharpfuzz (dotnet tool restore)"
dotnet tool restore >/dev/null || { echo "error: dotnet tool restore failed" >&2; exit 2; }

configuration=${AIENG_FUZZ_CONFIGURATION:-Release}
built=$project/bin/$configuration/net10.0
if [ "${AIENG_FUZZ_NO_BUILD:-0}" = 1 ] && [ -f "$built/AiEng.Fuzz.dll" ]; then
  echo "== $project ($configuration): already built, not rebuilt (AIENG_FUZZ_NO_BUILD=1)"
else
  echo "== build $project ($configuration)"
  dotnet build "$project" -c "$configuration" -nologo -v q >/dev/null || { echo "error: the build of $project failed" >&2; exit 2; }
fi

targets=$(dotnet "$built/AiEng.Fuzz.dll" list) || exit 2
if [ "$requested" != all ]; then
  for target in ${requested//,/ }; do
    echo "$targets" | grep -qx "$target" || { echo "error: unknown target '$target'; targets: $(echo $targets)" >&2; exit 2; }
  done
  targets=${requested//,/ }
fi

export AFL_SKIP_BIN_CHECK=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 AFL_NO_AFFINITY=1 AFL_QUIET=1
# Runaway allocation is a finding: the target's heap is capped at 1 GiB, so it ends in OutOfMemoryException (a crash).
export DOTNET_GCHeapHardLimit=0x40000000
# A parse that takes longer than this (in milliseconds) is a hang.
timeout_ms=${FUZZ_TIMEOUT_MS:-5000}

summary=()
total_crashes=0
for target in $targets; do
  echo "== $target: instrument and fuzz for $seconds s"
  work=$out/$target
  input=$project/corpus/$target
  if [ "${AIENG_FUZZ_RESUME:-0}" = 1 ] && [ -d "$work/findings/default/queue" ]; then
    # The previous run's queue and the seeds, as the input of this run (afl-fuzz trims duplicates on load).
    rm -rf "$work/resume"
    mkdir -p "$work/resume"
    cp "$input"/* "$work/resume/"
    find "$work/findings/default/queue" -maxdepth 1 -type f -name 'id*' -exec cp {} "$work/resume/" \;
    input=$work/resume
    echo "   resuming from $(find "$input" -type f | wc -l) inputs"
  fi
  rm -rf "$work/bin" "$work/findings"
  mkdir -p "$work"
  cp -r "$built" "$work/bin"
  for dll in $(assemblies_of "$target"); do
    dotnet sharpfuzz "$work/bin/$dll" >/dev/null || { echo "error: sharpfuzz could not instrument $dll" >&2; exit 2; }
  done

  # -V stops after the time given; timeout is a backstop should afl-fuzz not start fuzzing at all.
  dictionary=()
  dict_file=$(dictionary_of "$target")
  [ -n "$dict_file" ] && [ -f "$dict_file" ] && dictionary=(-x "$dict_file")
  timeout -k 10 $((seconds + 120)) afl-fuzz -V "$seconds" -i "$input" -o "$work/findings" -t "$timeout_ms" -m none "${dictionary[@]}" \
    -- dotnet "$work/bin/AiEng.Fuzz.dll" "$target" >"$work/afl.log" 2>&1
  status=$?
  stats=$work/findings/default/fuzzer_stats
  if [ ! -f "$stats" ]; then
    echo "error: afl-fuzz did not run $target (exit $status); the end of $work/afl.log:" >&2
    tail -n 15 "$work/afl.log" >&2
    exit 2
  fi

  stat() { grep -E "^$1 +:" "$stats" | sed -E 's/^[^:]+: *//'; }
  execs=$(stat execs_done)
  crashes=$(stat saved_crashes); crashes=${crashes:-$(stat unique_crashes)}
  hangs=$(stat saved_hangs); hangs=${hangs:-$(stat unique_hangs)}
  paths=$(stat corpus_count); paths=${paths:-$(stat paths_total)}
  where="-"
  if [ "${crashes:-0}" -gt 0 ] || [ "${hangs:-0}" -gt 0 ]; then
    where=$found/$target
    mkdir -p "$where"
    for kind in crashes hangs; do
      for file in "$work/findings/default/$kind"/id*; do
        [ -f "$file" ] && cp "$file" "$where/$kind-$(basename "$file" | cut -d, -f1 | tr : -)"
      done
    done
  fi
  total_crashes=$((total_crashes + ${crashes:-0}))
  summary+=("$(printf '%-11s %8s %12s %8s %8s %8s  %s' "$target" "$seconds" "$execs" "$paths" "$crashes" "$hangs" "$where")")
done

echo "== fuzzing summary"
printf '%-11s %8s %12s %8s %8s %8s  %s\n' target seconds executions corpus crashes hangs findings
printf '%s\n' "${summary[@]}"
if [ "$total_crashes" -gt 0 ]; then
  echo "fuzzing found $total_crashes crash(es); replay one with: dotnet $built/AiEng.Fuzz.dll replay <target> $found/<target>"
  exit 1
fi
exit 0
