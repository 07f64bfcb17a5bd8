#!/usr/bin/env bash
# Installs (or updates) the voxops sidecar on a VM as <vm>-agent.service. Safe to run again: it
# changes only what differs and keeps an existing key.
#
#   sudo VOXOPS_SIDECAR_KEY=... deploy/install-sidecar.sh --vm vm1 \
#        --controller https://voxops.<account>.workers.dev [--controller https://voxops-mirror.fly.dev] \
#        --inventory /path/to/inventory.json [--node /usr/bin/node]
# It renders the privileges from the inventory: a polkit rule (its units x the verbs the actions need),
# the unit's writable paths, a sudo rule for the root helper; README "The sidecar's privileges".
#
# VOXOPS_DESTDIR=/some/dir installs into a directory tree instead of / (used by the tests); then no
# user is created and systemctl is only called when SYSTEMCTL names one.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=${VOXOPS_DESTDIR:-}
systemctl_bin=${SYSTEMCTL:-$([ -z "$root" ] && echo systemctl || echo "")}
vm="" inventory="" node_opt="" controllers=()

die() { printf 'install-sidecar: %s\n' "$*" >&2; exit 2; }
note() { printf 'install-sidecar: %s\n' "$*"; }

while [ $# -gt 0 ]; do
  case "$1" in
    --vm) vm=${2:-}; shift 2 ;;
    --controller) controllers+=("${2:-}"); shift 2 ;;
    --inventory) inventory=${2:-}; shift 2 ;;
    --node) node_opt=${2:-}; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
done

[[ "$vm" =~ ^[a-z0-9][a-z0-9-]{0,31}$ ]] || die "--vm NAME is required (lowercase letters, digits, dashes)"
[ ${#controllers[@]} -gt 0 ] || [ -f "$root/etc/voxops/sidecar.env" ] || die "--controller URL is required on the first install"
for c in "${controllers[@]}"; do [[ "$c" =~ ^(https|wss|http|ws)://[A-Za-z0-9._:/-]+$ ]] || die "not a controller URL: $c"; done
[ -z "$inventory" ] || [ -f "$inventory" ] || die "no inventory file at $inventory"

# The Node the unit and the helper run: --node PATH, else the first node on PATH; its absolute path goes
# into the unit (never "whatever node is first on PATH" at run time).
node_bin=${node_opt:-$(command -v node || true)}
node_help="install Node.js 20 or newer, e.g. on Debian/Ubuntu: curl -fsSL https://deb.nodesource.com/setup_22.x | sudo bash - && sudo apt-get install -y nodejs (or pass --node /path/to/node)"
[ -n "$node_bin" ] && [ -x "$node_bin" ] || die "node is not installed; $node_help"
node_bin=$(readlink -f "$node_bin")
node_major=$("$node_bin" -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 20 ] || die "$node_bin is Node.js $node_major, too old: the sidecar needs 20 or newer; $node_help"

# polkit: the unit allowlist needs JavaScript rules (polkit 0.106+). polkit 0.105 reads only .pkla files,
# which grant an action for every unit at once, so the installer refuses rather than grant too much.
polkit_version=${VOXOPS_POLKIT_VERSION:-}
if [ -z "$polkit_version" ] && [ -z "$root" ]; then
  polkit_version=$(pkaction --version 2>/dev/null | sed -n 's/^pkaction version //p' || true)
  [ -n "$polkit_version" ] || die "polkit is not installed (pkaction not found): apt-get install polkitd (Debian 12+/Ubuntu 23.04+), then run again"
fi
if [ -n "$polkit_version" ] && [ "${polkit_version%%.*}" = 0 ] && [ "${polkit_version#0.}" -lt 106 ] 2>/dev/null; then
  die "polkit $polkit_version reads only .pkla files, which cannot limit the sidecar to the inventory's units (a .pkla grant covers every unit, ssh.service included). Refusing to install. Upgrade to polkitd 0.106 or newer (Debian 12, Ubuntu 23.04 and later ship 122), then run again."
fi

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

if [ -z "$root" ]; then
  command -v sudo >/dev/null 2>&1 || die "sudo is not installed: apt-get install sudo (the sidecar reaches its root helper through it), then run again"
  command -v systemctl >/dev/null 2>&1 || die "this VM has no systemd (systemctl not found); the sidecar runs as a systemd unit"
fi
if [ -z "$root" ] && ! id voxops >/dev/null 2>&1; then
  useradd --system --home-dir /var/lib/voxops --shell /usr/sbin/nologin voxops
  note "created system user voxops"
fi
# Reading every unit's journal: the groups the unit also gives (so the doctor, run by runuser, sees the same).
if [ -z "$root" ]; then
  for g in systemd-journal adm; do
    if getent group "$g" >/dev/null && ! id -nG voxops | tr ' ' '\n' | grep -qx "$g"; then usermod -a -G "$g" voxops; note "added voxops to the group $g"; fi
  done
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

# The coding agents' secrets (NAME=value lines for the variables an inventory engine names in agentEnv):
# read by the root helper alone and given to the agent process only; created empty, never overwritten.
agent_env="$root/etc/voxops/agent.env"
if [ ! -e "$agent_env" ]; then
  install -m 0600 /dev/null "$agent_env"
  printf '# NAME=value lines for the coding agents (the agentEnv names in the inventory); root only, mode 0600.\n' > "$agent_env"
  note "created the empty coding-agent secrets file /etc/voxops/agent.env"
fi

unit="$root/etc/systemd/system/$vm-agent.service"
tmp=$(mktemp)
sed -e "s/@VM@/$vm/g" -e "s|@NODE@|$node_bin|g" "$here/systemd/agent.service.in" > "$tmp"
install_file "$tmp" "$unit" 0644

# What bounds the sidecar outside its own process, rendered from the inventory (deploy/render-privileges.js):
# the polkit rule (units × verbs, reboot), the unit's ReadWritePaths, the declared directories.
render() { "$node_bin" "$here/render-privileges.js" "$root/etc/voxops/inventory.json" "$vm" "$1"; }
[ -f "$root/etc/voxops/inventory.json" ] || die "no inventory installed yet: pass --inventory FILE"
render paths > "$tmp"
install_file "$tmp" "$root/etc/systemd/system/$vm-agent.service.d/paths.conf" 0644
render polkit > "$tmp"
install_file "$tmp" "$root/etc/polkit-1/rules.d/50-voxops.rules" 0644
# Declared directories that do not exist yet are created (root-owned, 0755), so the unit can start.
while IFS= read -r d; do
  [ -n "$d" ] || continue
  if [ ! -e "$root$d" ]; then install -d -m 0755 "$root$d"; note "created the declared directory $d"; fi
done < <(render dirs)

# The root helper: the one program the voxops user may run as root (sudo), which checks every request
# against the root-owned inventory. Its wrapper fixes the VM, the inventory and the node it runs.
printf '#!/bin/sh\n# voxops root helper for %s, written by deploy/install-sidecar.sh; sudo runs it for the voxops user.\nexec %s /opt/voxops/voxops-sidecar.mjs helper --vm %s --inventory /etc/voxops/inventory.json "$@"\n' \
  "$vm" "$node_bin" "$vm" > "$tmp"
install_file "$tmp" "$root/usr/lib/voxops/voxops-helper" 0755
printf '# Written by deploy/install-sidecar.sh: the voxops sidecar may run its root helper, nothing else.\nDefaults:voxops !requiretty, !lecture, !use_pty\nvoxops ALL=(root) NOPASSWD: /usr/lib/voxops/voxops-helper\n' > "$tmp"
if command -v visudo >/dev/null 2>&1; then visudo -qcf "$tmp" >/dev/null || die "the rendered sudoers rule does not parse (visudo -c); nothing installed there"; fi
install_file "$tmp" "$root/etc/sudoers.d/voxops" 0440
rm -f "$tmp"

if [ -z "$root" ]; then chown -R root:voxops /etc/voxops; chown root:root /etc/voxops/agent.env; chmod 0600 /etc/voxops/agent.env; fi

# Backups to GitHub over SSH need a deploy key: the voxops user's own, made here once.
backup_repo=$("$node_bin" -e 'const i=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")); process.stdout.write(i.backup?.repo ?? "")' "$root/etc/voxops/inventory.json")
key_note=""
case "$backup_repo" in
  git@*|ssh://*)
    if [ -z "$root" ]; then
      install -d -o voxops -g voxops -m 0700 /var/lib/voxops /var/lib/voxops/.ssh
      if [ ! -f /var/lib/voxops/.ssh/id_ed25519 ]; then
        runuser -u voxops -- ssh-keygen -q -t ed25519 -N "" -C "voxops@$vm" -f /var/lib/voxops/.ssh/id_ed25519
        note "made the backup deploy key /var/lib/voxops/.ssh/id_ed25519"
      fi
      key_note="Backups go to $backup_repo over SSH. Add this public key as a deploy key with write access
  (GitHub: the repository's Settings -> Deploy keys -> Add deploy key -> tick \"Allow write access\"):
  $(cat /var/lib/voxops/.ssh/id_ed25519.pub)
  then accept GitHub's host key once: sudo -u voxops ssh -T git@github.com"
    fi ;;
esac

if [ -n "$systemctl_bin" ]; then
  "$systemctl_bin" daemon-reload
  "$systemctl_bin" enable "$vm-agent.service" >/dev/null
  if [ "$changed" = 1 ]; then "$systemctl_bin" restart "$vm-agent.service"; else "$systemctl_bin" start "$vm-agent.service"; fi
  note "$vm-agent.service is $("$systemctl_bin" is-active "$vm-agent.service" || true)"
fi
[ "$changed" = 1 ] && note "installed" || note "nothing to change"
cat <<SUMMARY
install-sidecar: what is set up for $vm
  unit        /etc/systemd/system/$vm-agent.service (user voxops, $node_bin, no capabilities of its own)
  key         /etc/voxops/sidecar.env (0640 root:voxops); inventory /etc/voxops/inventory.json
  agent keys  /etc/voxops/agent.env (0600 root: NAME=value lines the root helper gives the coding agents only)
  units       the sidecar may start/restart/reload only: $(render units | tr '\n' ' ')
  polkit      /etc/polkit-1/rules.d/50-voxops.rules (those units, and reboot; nothing else)
  root helper /usr/lib/voxops/voxops-helper through /etc/sudoers.d/voxops (declared files, stale copies,
              journal vacuum, forced reboot, git and builds as each checkout's owner, code changes'
              writes, checks, commits and coding agent as each service's owner)
  writable    $(sed -n 's/^ReadWritePaths=//p' "$root/etc/systemd/system/$vm-agent.service.d/paths.conf")
Check it: sudo runuser -u voxops -- $node_bin /opt/voxops/voxops-sidecar.mjs doctor --vm $vm
SUMMARY
[ -z "$key_note" ] || printf '%s\n' "$key_note"
