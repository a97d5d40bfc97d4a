#!/bin/sh
# Nightly backup with rotation (docs/deployment.md § 10): `manage.py backup` into DIR/daily,
# a copy kept in DIR/weekly on Sundays and in DIR/monthly on the 1st; keeps the 14 latest
# daily, 8 weekly and 12 monthly archives. Run from the application's folder with its
# environment (the systemd unit placette-backup.service does both).
# Usage: scripts/backup_rotate.sh DIR [PYTHON]
set -eu
dir=${1:?usage: backup_rotate.sh DIR [PYTHON]}
python=${2:-/srv/placette/venv/bin/python}
day=$(date +%F)
mkdir -p "$dir/daily" "$dir/weekly" "$dir/monthly"
archive="$dir/daily/placette-$day.tar.gz"
"$python" manage.py backup --output "$archive"
if [ "$(date +%u)" = 7 ]; then cp "$archive" "$dir/weekly/"; fi
if [ "$(date +%d)" = 01 ]; then cp "$archive" "$dir/monthly/"; fi
prune() { # keep the $2 newest archives of folder $1
    find "$1" -maxdepth 1 -name 'placette-*.tar.gz' | sort -r | tail -n +"$(($2 + 1))" |
        while read -r old; do rm -f -- "$old"; done
}
prune "$dir/daily" 14
prune "$dir/weekly" 8
prune "$dir/monthly" 12
