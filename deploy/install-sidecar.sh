#!/usr/bin/env bash
# Installs (or updates) the voxops sidecar on a VM as <vm>-agent.service. Safe to run again: it
# changes only what differs and keeps an existing key.
#
#   sudo VOXOPS_SIDECAR_KEY=... deploy/install-sidecar.sh --vm vm1 \
#        --controller https://voxops.<account>.workers.dev [--controller https://voxops-mirror.fly.dev] \
#        --inventory /path/to/inventory.json
#
# VOXOPS_DESTDIR=/some/dir installs into a directory tree instead of / (used by the tests); then no
# user is created and systemctl is only called when SYSTEMCTL names one.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=${VOXOPS_DESTDIR:-}
systemctl_bin=${SYSTEMCTL:-$([ -z "$root" ] && echo systemctl || echo "")}
vm="" inventory="" controllers=()

die() { printf 'install-sidecar: %s\n' "$*" >&2; exit 2; }
note() { printf 'install-sidecar: %s\n' "$*"; }

while [ $# -gt 0 ]; do
  case "$1" in
    --vm) vm=${2:-}; shift 2 ;;
    --controller) controllers+=("${2:-}"); shift 2 ;;
    --inventory) inventory=${2:-}; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
done

[[ "$vm" =~ ^[a-z0-9][a-z0-9-]{0,31}$ ]] || die "--vm NAME is required (lowercase letters, digits, dashes)"
[ ${#controllers[@]} -gt 0 ] || [ -f "$root/etc/voxops/sidecar.env" ] || die "--controller URL is required on the first install"
for c in "${controllers[@]}"; do [[ "$c" =~ ^(https|wss|http|ws)://[A-Za-z0-9._:/-]+$ ]] || die "not a controller URL: $c"; done
[ -z "$inventory" ] || [ -f "$inventory" ] || die "no inventory file at $inventory"

node_bin=$(command -v node || true)
[ -n "$node_bin" ] || die "node is not installed; install Node.js 20 or newer (e.g. apt-get install nodejs) and run again"
node_major=$("$node_bin" -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 20 ] || die "node $node_major is too old; the sidecar needs Node.js 20 or newer"

bundle="$here/../dist/voxops-sidecar.mjs"
if [ -f "$here/../package.json" ] && [ -d "$here/../node_modules/esbuild" ]; then
  "$node_bin" "$here/build-sidecar.js" "$bundle" >/dev/null
fi
[ -f "$bundle" ] || die "no sidecar bundle at $bundle: run 'npm ci && npm run build:sidecar' in the repository first"

# install_file SRC DEST MODE: copies only when the content or mode differs.
install_file() {
  local src=$1 dest=$2 mode=$3
  if [ -f "$dest" ] && cmp -s "$src" "$dest" && [ "$(stat -c %a "$dest")" = "${mode#0}" ]; then return 0; fi
  install -D -m "$mode" "$src" "$dest"
  note "wrote $dest"
  changed=1
}
changed=0

if [ -z "$root" ] && ! id voxops >/dev/null 2>&1; then
  useradd --system --home-dir /var/lib/voxops --shell /usr/sbin/nologin voxops
  note "created system user voxops"
fi

install -d -m 0755 "$root/opt/voxops"
install -d -m 0750 "$root/etc/voxops"
install_file "$bundle" "$root/opt/voxops/voxops-sidecar.mjs" 0644
[ -z "$inventory" ] || install_file "$inventory" "$root/etc/voxops/inventory.json" 0640

env_file="$root/etc/voxops/sidecar.env"
if [ -n "${VOXOPS_SIDECAR_KEY:-}" ] || [ ${#controllers[@]} -gt 0 ] || [ ! -f "$env_file" ]; then
  key=${VOXOPS_SIDECAR_KEY:-}
  if [ -z "$key" ] && [ -f "$env_file" ]; then key=$(sed -n 's/^VOXOPS_SIDECAR_KEY=//p' "$env_file"); fi
  [ -n "$key" ] || die "VOXOPS_SIDECAR_KEY must be set on the first install (the key the controller has for $vm)"
  list=$(IFS=,; echo "${controllers[*]}")
  if [ -z "$list" ]; then list=$(sed -n 's/^VOXOPS_CONTROLLERS=//p' "$env_file"); fi
  tmp=$(mktemp)
  printf 'VOXOPS_SIDECAR_KEY=%s\nVOXOPS_CONTROLLERS=%s\n' "$key" "$list" > "$tmp"
  install_file "$tmp" "$env_file" 0640
  rm -f "$tmp"
fi

unit="$root/etc/systemd/system/$vm-agent.service"
tmp=$(mktemp)
sed "s/@VM@/$vm/g" "$here/systemd/agent.service.in" > "$tmp"
install_file "$tmp" "$unit" 0644

# Paths the inventory lets this VM's sidecar change: config files, service checkouts, backup sources.
if [ -f "$root/etc/voxops/inventory.json" ]; then
  paths=$("$node_bin" -e '
    const inv = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const vm = inv.vms?.[process.argv[2]] ?? {};
    const out = new Set();
    for (const s of vm.services ?? []) {
      if (typeof s !== "object") continue;
      for (const c of s.configs ?? []) out.add(require("path").dirname(c.path));
      if (s.repo?.path) out.add(s.repo.path);
      for (const l of s.logs ?? []) out.add(require("path").dirname(l));
    }
    process.stdout.write([...out].filter((p) => /^\/[A-Za-z0-9_./@+-]*$/.test(p)).sort().join(" "));
  ' "$root/etc/voxops/inventory.json" "$vm")
  printf '[Service]\n# Written by install-sidecar.sh from the inventory.\nReadWritePaths=-/var/lib/voxops %s\n' "$paths" > "$tmp"
  install_file "$tmp" "$root/etc/systemd/system/$vm-agent.service.d/paths.conf" 0644
fi
rm -f "$tmp"
install_file "$here/polkit/50-voxops.rules" "$root/etc/polkit-1/rules.d/50-voxops.rules" 0644

if [ -z "$root" ]; then chown -R root:voxops /etc/voxops; fi

if [ -n "$systemctl_bin" ]; then
  "$systemctl_bin" daemon-reload
  "$systemctl_bin" enable "$vm-agent.service" >/dev/null
  if [ "$changed" = 1 ]; then "$systemctl_bin" restart "$vm-agent.service"; else "$systemctl_bin" start "$vm-agent.service"; fi
  note "$vm-agent.service is $("$systemctl_bin" is-active "$vm-agent.service" || true)"
fi
[ "$changed" = 1 ] && note "installed" || note "nothing to change"
