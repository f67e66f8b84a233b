#!/usr/bin/env bash
# The chaos soak at a larger size: ingestion, evaluation and batch runs with Polly's chaos strategies (fault, outcome and
# latency) at 10%, 20% and 30% injected into the embedding model, the store and the chat model
# (tests/AiEng.Tests/Reliability). CI runs it at scale 1 (60 documents, 80 cases and 100 batch items per rate); this
# script runs a multiple of that.
# Usage: eng/soak.sh [scale, default 20]
set -euo pipefail
cd "$(dirname "$0")/.."
export AIENG_SOAK_SCALE="${1:-20}"
dotnet build tests/AiEng.Tests -v q -nologo
dotnet test tests/AiEng.Tests --no-build --filter "FullyQualifiedName~Reliability.ChaosSoakTests" --logger "console;verbosity=detailed"
