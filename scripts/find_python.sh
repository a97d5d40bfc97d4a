#!/usr/bin/env sh
# Print the path of a Python >= 3.12 (Django 6.1 needs it), or fail with a French message.
for candidate in "$PLACETTE_PYTHON" python3.13 python3.12 python3.14 \
    "$HOME"/.pyenv/versions/3.13*/bin/python3 "$HOME"/.pyenv/versions/3.12*/bin/python3 \
    /usr/local/bin/python3.13 /usr/local/bin/python3.12 /usr/bin/python3.13 /usr/bin/python3.12 python3; do
  [ -n "$candidate" ] || continue
  path=$(command -v "$candidate" 2>/dev/null) || continue
  if "$path" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then
    echo "$path"
    exit 0
  fi
done
echo "Placette a besoin de Python 3.12 ou plus récent (installez python3.13 ou pyenv)." >&2
exit 1
