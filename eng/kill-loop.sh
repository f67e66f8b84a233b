#!/usr/bin/env bash
# Kills the ingesting crash hosts of the SQLite and PostgreSQL stores again and again at random points, checking after
# every kill that no committed document is lost or partial and none is ingested twice; then lets a last run finish.
# The eval and batch targets do the same to the evaluation runner and the batch runner (tests/AiEng.Runners.CrashHost):
# after every kill no finished case or item is lost, none has two results, none reached the model again, and the last
# run's results equal an uninterrupted run's.
# CI runs 3 kills per target (the default); this script runs more.
# Usage: eng/kill-loop.sh [kills per target, default 50] [sqlite|postgres|eval|batch|all, default all]
# PostgreSQL: the tests start PGlite from tests/AiEng.Postgres.Tests/pglite (node and npm), or use
# AIENG_POSTGRES_CONNECTION_STRING.
set -euo pipefail
cd "$(dirname "$0")/.."
kills="${1:-50}"
which="${2:-all}"
export AIENG_KILL_LOOPS="$kills"
filter="FullyQualifiedName~Killed_again_and_again"
dotnet build AiEng.sln -v q -nologo
status=0
if [ "$which" = "all" ] || [ "$which" = "sqlite" ]; then
  echo "== SQLite: $kills kills"
  dotnet test tests/AiEng.Sqlite.Tests --no-build --filter "$filter" --logger "console;verbosity=normal" || status=1
fi
if [ "$which" = "all" ] || [ "$which" = "postgres" ]; then
  echo "== PostgreSQL: $kills kills"
  dotnet test tests/AiEng.Postgres.Tests --no-build --filter "$filter" --logger "console;verbosity=normal" || status=1
fi
if [ "$which" = "all" ] || [ "$which" = "eval" ]; then
  echo "== Evaluation runner: $kills kills"
  dotnet test tests/AiEng.Tests --no-build --filter "FullyQualifiedName~RunnerKillLoopTests.An_evaluation" --logger "console;verbosity=detailed" || status=1
fi
if [ "$which" = "all" ] || [ "$which" = "batch" ]; then
  echo "== Batch runner: $kills kills"
  dotnet test tests/AiEng.Tests --no-build --filter "FullyQualifiedName~RunnerKillLoopTests.A_batch" --logger "console;verbosity=detailed" || status=1
fi
exit "$status"
