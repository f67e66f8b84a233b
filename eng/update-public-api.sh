#!/usr/bin/env bash
# Adds every public symbol the PublicApiAnalyzers report as undeclared (RS0016) to the project's
# PublicAPI.Unshipped.txt and removes the declared ones that no longer exist (RS0017).
# Run it after changing a public API on purpose, then review the diff of the PublicAPI files.
set -euo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT
dotnet build AiEng.sln -p:TreatWarningsAsErrors=false -p:WarningsAsErrors= --no-incremental -nologo -clp:NoSummary > "$log" 2>&1 || true
for project in src/*/*.csproj; do
  dir=$(dirname "$project")
  file="$dir/PublicAPI.Unshipped.txt"
  added=$(grep -F "[$PWD/$project]" "$log" | grep -oP "RS0016: Symbol '\K.*(?=' is not part of the declared public API)" | sort -u || true)
  removed=$(grep -F "[$PWD/$project]" "$log" | grep -oP "RS0017: Symbol '\K.*(?=' is part of the declared API, but is either not public or could not be found)" | sort -u || true)
  [ -z "$added$removed" ] && continue
  { grep -v '^#nullable enable$' "$file" || true; [ -n "$added" ] && printf '%s\n' "$added"; } | sort -u > "$file.new"
  if [ -n "$removed" ]; then grep -vxF -f <(printf '%s\n' "$removed") "$file.new" > "$file.tmp" || true; mv "$file.tmp" "$file.new"; fi
  { echo '#nullable enable'; sed '/^$/d' "$file.new"; } > "$file"
  rm -f "$file.new"
  echo "updated $file"
done
