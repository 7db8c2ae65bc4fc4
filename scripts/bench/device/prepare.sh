#!/usr/bin/env bash
# prepare.sh: fill .devcarry/ (git-ignored through .git/info/exclude) with
# what scripts/bench/device/run.sh needs on a larger machine that has its own
# Python stack with torch, onnxruntime and sentence-transformers but cannot
# download the model: the model squeezed to int8 (23 MB instead of 90, see
# squeeze.py) and the sbert test binary of this tree.
#
#   scripts/bench/device/prepare.sh    # then run scripts/bench/device/run.sh there, carrying .devcarry
set -euo pipefail
cd "$(dirname "$0")/../../.."
grep -qx '/.devcarry/' .git/info/exclude 2>/dev/null || echo '/.devcarry/' >> .git/info/exclude
model="${JOBMATCH_MODEL_DIR:-$(./scripts/fetch-model)}"
. scripts/bench/venv.sh
py=$(bench_python scripts/bench/requirements.txt)
rm -rf .devcarry && mkdir -p .devcarry/model/1_Pooling
(cd "$model" && cp config.json config_sentence_transformers.json modules.json sentence_bert_config.json \
  special_tokens_map.json tokenizer.json tokenizer_config.json vocab.txt "$OLDPWD/.devcarry/model/" &&
  cp 1_Pooling/config.json "$OLDPWD/.devcarry/model/1_Pooling/")
"$py" scripts/bench/device/squeeze.py pack "$model/model.safetensors" .devcarry/model/model.q8
CGO_ENABLED=0 go test -c -ldflags='-s -w' -o .devcarry/sbert.test ./sbert
du -sh .devcarry
