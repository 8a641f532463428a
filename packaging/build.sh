#!/usr/bin/env bash
# Build a one-folder Appraisal Desk into dist/appraisal-desk/ and smoke-test it (CLI: new, info, check).
# Uses its own venv with only the runtime dependencies so no test tools end up in the bundle.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=build/package-venv
uv venv --quiet --python 3.11 "$venv"
VIRTUAL_ENV="$venv" uv pip install --quiet . pyinstaller
"$venv/bin/pyinstaller" --noconfirm --clean --distpath dist --workpath build/pyinstaller packaging/appraisal-desk.spec
smoke=$(mktemp -d)
trap 'rm -rf "$smoke"' EXIT
APPRAISAL_DESK_HOME="$smoke" dist/appraisal-desk/appraisal-desk new "$smoke/smoke.appraisal" --plan docs/examples/ovig-plan.yaml
APPRAISAL_DESK_HOME="$smoke" dist/appraisal-desk/appraisal-desk check "$smoke/smoke.appraisal"
echo "Built dist/appraisal-desk/ ($(du -sh dist/appraisal-desk | cut -f1))"
