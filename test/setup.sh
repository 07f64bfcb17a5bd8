#!/usr/bin/env bash
# Installs what the tests need on a fresh Debian/Ubuntu machine (run as root), then the npm packages
# exactly as locked. The README's test command runs this before `npm run check`; so does .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages: sshd for the SSH comparison, espeak-ng/opus-tools/ffmpeg for voice fixtures,
# pocketsphinx for real English transcription, iproute2 for network-namespace tests, systemd/dbus/
# polkitd for the real-systemd sandbox (../shared/tools/systemd-sandbox), python3 and nginx for the
# real services the sandbox runs.
packages=(ca-certificates git systemd dbus polkitd openssh-server openssh-client espeak-ng opus-tools ffmpeg
  pocketsphinx pocketsphinx-en-us iproute2 procps iptables python3 acl sudo nginx)
if command -v apt-get >/dev/null 2>&1; then
  missing=()
  for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" != 0 ]; then
      echo "test setup: these Debian packages are missing and installing them needs root: ${missing[*]}" >&2
      exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  # npm itself is needed once to install the project's Node 24 (a dev dependency).
  if ! command -v npm >/dev/null 2>&1; then
    apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
  fi
else
  echo "test setup: no apt-get here; install by hand: ${packages[*]}" >&2
fi

# npm packages, exactly as locked (Node 24 comes in as the `node` dev dependency); leaves the tree clean.
npm ci --no-audit --no-fund
